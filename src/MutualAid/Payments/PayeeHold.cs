using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;

namespace MutualAid.Payments;

/// <summary>
/// The one rule by which money waits instead of going to the bank (暂缓), for claims and relief
/// alike: the payee has no usable account (8–30 digits and a bank), or changed it recently and the
/// change is not in effect yet. An account changed in the last 30 days is paid but marked new.
/// </summary>
internal static class PayeeHold
{
    /// <summary>The members' bank-account changes recent enough to matter, by member.</summary>
    public static async Task<ILookup<long, BankAccountChange>> RecentChangesAsync(MutualAidDbContext db, IReadOnlyCollection<long> memberIds, DateTime now, CancellationToken cancellationToken)
    {
        var since = now - BankAccountChange.NewFor;
        return (await db.BankAccountChanges.AsNoTracking()
            .Where(c => memberIds.Contains(c.MemberId) && c.MadeAt >= since && (c.State == BankChangeState.Pending || c.State == BankChangeState.Confirmed))
            .ToListAsync(cancellationToken)).ToLookup(c => c.MemberId);
    }

    /// <summary>Why the payee's money waits (null: it goes), and whether the account is new.</summary>
    public static (string? Why, bool NewAccount) Of(string name, string idNumber, string? bankAccount, string? bankName, IEnumerable<BankAccountChange> changes, DateTime now)
    {
        var who = $"{name}（{IdNumber.Parse(idNumber).Masked}）";
        if (bankAccount is not { } account || !Member.IsBankAccount(account) || string.IsNullOrWhiteSpace(bankName))
            return ($"{who}没有可用的银行账户（账号 8–30 位数字及开户行），留待补正", false);
        var own = changes.ToList();
        if (own.FirstOrDefault(c => c.Waiting(now)) is { } waiting)
            return ($"{who}的银行卡于 {BeijingTime.Day(waiting.MadeAt):yyyy-MM-dd} 变更为{waiting.NewBankName} 尾号 {waiting.NewAccountTail}，"
                + $"待经办复核或 {BeijingTime.Day(waiting.EffectiveAt):yyyy-MM-dd} 生效后发放", false);
        return (null, own.Count > 0);
    }
}
