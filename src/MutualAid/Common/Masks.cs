namespace MutualAid.Common;

/// <summary>
/// Personal data as shown where the whole is not needed (PIPL: the least that serves the work).
/// ID numbers have <see cref="IdNumber.Masked"/>.
/// </summary>
public static class Masks
{
    /// <summary>138****5678: the carrier's prefix and the last four; 未登记 when there is none.</summary>
    public static string Phone(string? phone) => phone switch
    {
        null or "" => "未登记",
        { Length: 11 } => $"{phone[..3]}****{phone[7..]}",
        { Length: > 4 } => $"****{phone[^4..]}",
        _ => "****",
    };

    /// <summary>工商银行 尾号 1234, or 未登记.</summary>
    public static string Account(string? bankName, string? account) =>
        string.IsNullOrEmpty(account) ? "未登记" : $"{bankName} 尾号 {account[Math.Max(0, account.Length - 4)..]}";
}
