using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>
/// A member's bank card changed at a service point (a payment the bank refused, a new card). The
/// claims held back for want of a usable account leave in the next batch. Says what it was and
/// what it is now, the numbers cut to their last four digits, in its audit line (saved with it).
/// </summary>
public sealed class ChangeBankAccount(MutualAidDbContext db, TimeProvider clock)
{
    public async Task<string> HandleAsync(long memberId, string? bankName, string? account, Actor actor, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        bankName = bankName?.Trim();
        account = account?.Replace(" ", "", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(bankName))
            problems.Add(new Problem("开户银行", "不能为空"));
        if (!Member.IsBankAccount(account))
            problems.Add(new Problem("银行账号", $"“{account}”应为 8–30 位数字"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        var member = await db.Members.SingleAsync(m => m.Id == memberId, cancellationToken);
        var before = Show(member.BankName, member.BankAccount);
        member.BankName = bankName;
        member.BankAccount = account;
        var change = $"{before} → {Show(bankName, account)}";
        db.Audit(actor, clock.Now(), "更换银行卡", $"会员 {memberId}", change);
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }

    internal static string Show(string? bankName, string? account) => account is null ? "未登记" : $"{bankName} 尾号 {account[^4..]}";
}
