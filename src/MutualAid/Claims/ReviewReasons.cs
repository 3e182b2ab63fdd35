using MutualAid.Benefits;

namespace MutualAid.Claims;

/// <summary>A coded reason a reviewer gives: the code people quote and count by, and its words.</summary>
public sealed record ReviewReason(string Code, string Name);

/// <summary>
/// The reasons a claim is rejected (驳回) or returned for correction (退回补正): one list for the
/// web's choices, the CLI's <c>--code</c> and the API, so the office can count by reason. A code
/// ending in 99 (其他) needs words of its own; the others may add them.
/// </summary>
public static class ReviewReasons
{
    public static readonly IReadOnlyList<ReviewReason> Rejection =
    [
        new("R01", "事件日不在保障期内"),
        new("R02", "不属于保障范围"),
        new("R03", "等待期内发生"),
        new("R04", "超过申请时效"),
        new("R05", "重复申请（同一事件）"),
        new("R06", "材料不实"),
        new("R07", "已达给付限额"),
        new("R99", "其他"),
    ];

    public static readonly IReadOnlyList<ReviewReason> Return =
    [
        new("B01", "材料不全"),
        new("B02", "材料不清晰、无法辨认"),
        new("B03", "金额或日期与票据不符"),
        new("B04", "证明缺少医院盖章或签字"),
        new("B05", "身份或银行账户信息不符"),
        new("B99", "其他"),
    ];

    /// <summary>A reason as a member reads it: the words without the office's code ("不属于保障范围：工伤保险支付").</summary>
    public static string Words(string? reason) =>
        reason is { Length: > 6 } && reason[0] == '[' && reason[4] == ']' && reason[5] == ' ' ? reason[6..] : reason ?? "";

    /// <summary>
    /// The reason as the claim's history keeps it ("[R02] 不属于保障范围：工伤保险支付"); a code not in
    /// <paramref name="list"/>, or 其他 without words, is refused naming the claim and the field.
    /// </summary>
    public static string Describe(IReadOnlyList<ReviewReason> list, string claimNumber, string? code, string? note)
    {
        var what = ReferenceEquals(list, Rejection) ? "驳回" : "退回";
        var reason = list.SingleOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (reason is null)
            throw new InvalidInputException(claimNumber,
                $"{what}原因代码{(string.IsNullOrWhiteSpace(code) ? "未选" : $"“{code.Trim()}”不在清单中")}：请选 {string.Join("、", list.Select(r => $"{r.Code} {r.Name}"))}");
        note = note?.Trim();
        if (reason.Code.EndsWith("99", StringComparison.Ordinal) && string.IsNullOrEmpty(note))
            throw new InvalidInputException(claimNumber, $"{what}原因选“其他”时须写明说明");
        return string.IsNullOrEmpty(note) ? $"[{reason.Code}] {reason.Name}" : $"[{reason.Code}] {reason.Name}：{note}";
    }
}
