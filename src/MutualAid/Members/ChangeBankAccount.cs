using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Members;

/// <summary>
/// A member's bank card changed (银行卡变更) by their unit, a clerk or themselves, and its check.
/// Each is one business event: the change record with who, which door and why, the member's account,
/// the SMS to the mobile number held before the request, and the audit line, in one unit of work.
/// The new account is paid once a clerk other than who made the change confirms it, or once the
/// fund's waiting time (<c>bankAccountWaitDays</c> of the scheme, the longest if several say; 7
/// otherwise) is over; until then the member's claims wait (<see cref="Payments.PaymentDesk"/>).
/// </summary>
public sealed class ChangeBankAccount(MutualAidDbContext db, TimeProvider clock)
{
    public Task<BankAccountChange> HandleAsync(long memberId, string? bankName, string? account, string? reason, BankChangeSource source, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => HandleAttemptAsync(memberId, bankName, account, reason, source, actor, ct), cancellationToken);

    private async Task<BankAccountChange> HandleAttemptAsync(long memberId, string? bankName, string? account, string? reason, BankChangeSource source, Actor actor, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        bankName = bankName?.Trim();
        account = account?.Replace(" ", "", StringComparison.Ordinal);
        if (string.IsNullOrWhiteSpace(bankName))
            problems.Add(new Problem("开户银行", "不能为空"));
        if (!Member.IsBankAccount(account))
            problems.Add(new Problem("银行账号", $"“{account}”应为 8–30 位数字"));
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 200)
            problems.Add(new Problem("变更原因", "不能为空，200 字以内"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        var waitDays = await WaitDaysAsync(db, cancellationToken);
        // Under the member's lock: two changes at once are made one after the other, the second superseding the first.
        await Claims.ClaimBook.LockAsync(db, [memberId], cancellationToken);
        var member = await db.Members.SingleAsync(m => m.Id == memberId, cancellationToken);
        if (member.BankName == bankName && member.BankAccount == account)
            throw new InvalidInputException("银行账号", $"会员 {member.Name} 登记的已是这张卡（{Masks.Account(bankName, account)}），无需更换");
        var change = await RecordAsync(db, member, member.Phone, bankName!, account!, source, reason!.Trim(), actor, clock.Now(), waitDays, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }

    /// <summary>
    /// 复核: a clerk other than who made the change confirms it with the member; the next batch pays the new account.
    /// Only a clerk, and only for a member in the clerk's scope, whichever door it comes through.
    /// </summary>
    public async Task<BankAccountChange> ConfirmAsync(UserScope clerk, long changeId, Actor actor, CancellationToken cancellationToken)
    {
        var change = await LoadAsync(clerk, changeId, "复核", cancellationToken);
        var now = clock.Now();
        change.Confirm(actor.User, now);
        db.Audit(actor, now, "复核银行卡变更", $"会员 {change.MemberId}", $"{change.Subject}：{change.Description}");
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }

    /// <summary>撤销: a clerk other than who made the change undoes it while it waits; the account before it is the member's again.</summary>
    public async Task<BankAccountChange> CancelAsync(UserScope clerk, long changeId, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var change = await LoadAsync(clerk, changeId, "撤销", cancellationToken);
        var now = clock.Now();
        change.Cancel(actor.User, now, reason);
        var member = await db.Members.SingleAsync(m => m.Id == change.MemberId, cancellationToken);
        (member.BankName, member.BankAccount) = (change.OldBankName, change.OldAccount);
        db.Audit(actor, now, "撤销银行卡变更", $"会员 {change.MemberId}", $"{change.Subject}：{change.Description}，恢复为 {Masks.Account(change.OldBankName, change.OldAccount)}；原因：{change.DecisionReason}");
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }

    /// <summary>The fund's waiting time for a new account: the longest <c>bankAccountWaitDays</c> of the stored schemes, 7 days when none says.</summary>
    public static async Task<int> WaitDaysAsync(MutualAidDbContext db, CancellationToken cancellationToken)
    {
        var documents = await db.Schemes.AsNoTracking().Select(s => s.Document).ToListAsync(cancellationToken);
        return documents.Select(d => SchemeReader.Parse(d).BankAccountWaitDays).OfType<int>().DefaultIfEmpty(7).Max();
    }

    /// <summary>
    /// Adds a change of the tracked <paramref name="member"/>'s account to the unit of work: the
    /// record (a change still waiting is superseded, and the account before it stays the one to put
    /// back), the new account, the SMS to <paramref name="oldPhone"/> and the audit line. The caller saves.
    /// </summary>
    internal static async Task<BankAccountChange> RecordAsync(MutualAidDbContext db, Member member, string? oldPhone, string? bankName, string account,
        BankChangeSource source, string reason, Actor actor, DateTime now, int waitDays, CancellationToken cancellationToken)
    {
        var waiting = (await db.BankAccountChanges
            .Where(c => c.MemberId == member.Id && c.State == BankChangeState.Pending).ToListAsync(cancellationToken))
            .Where(c => c.Waiting(now)).ToList();
        var (oldBankName, oldAccount) = waiting.OrderBy(c => c.Id).FirstOrDefault() is { } first ? (first.OldBankName, first.OldAccount) : (member.BankName, member.BankAccount);
        var change = new BankAccountChange(member.Id, oldBankName, oldAccount, bankName, account, source, reason.Length > 200 ? reason[..200] : reason,
            actor.User, actor.Where, now, now.AddDays(waitDays), string.IsNullOrWhiteSpace(oldPhone) ? null : oldPhone);
        foreach (var previous in waiting)
            previous.Supersede(now);
        db.BankAccountChanges.Add(change);
        (member.BankName, member.BankAccount) = (bankName, account);
        if (Notice.ForBankAccountChange(member, oldPhone, change, actor) is { } notice)
            db.Notices.Add(notice);
        db.Audit(actor, now, "更换银行卡", $"会员 {member.Id}", $"{change.Description}（{Names.Of(source)}；原因：{change.Reason}；{BeijingTime.Local(change.EffectiveAt):yyyy-MM-dd HH:mm} 起或经办复核后付至新卡）");
        return change;
    }

    /// <summary>A change of a member in the clerk's scope; refused, naming the change, to anyone else.</summary>
    private async Task<BankAccountChange> LoadAsync(UserScope clerk, long changeId, string what, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException($"银行卡变更 {changeId}", $"只有经办人员可以{what}银行卡变更");
        var change = await db.BankAccountChanges.SingleOrDefaultAsync(c => c.Id == changeId, cancellationToken)
            ?? throw new InvalidInputException($"银行卡变更 {changeId}", "没有这个变更");
        if (!await clerk.Members(db).AnyAsync(m => m.Id == change.MemberId, cancellationToken))
            throw new InvalidInputException(change.Subject, $"该会员不在 {clerk.UserName} 的范围内，不能{what}");
        return change;
    }

    /// <summary>A member's changes, newest first, for a clerk to find the one to confirm or cancel; empty outside the reader's scope.</summary>
    public async Task<IReadOnlyList<BankAccountChange>> OfMemberAsync(UserScope reader, long memberId, CancellationToken cancellationToken) =>
        await reader.Members(db).AnyAsync(m => m.Id == memberId, cancellationToken)
            ? await db.BankAccountChanges.AsNoTracking().Where(c => c.MemberId == memberId).OrderByDescending(c => c.Id).ToListAsync(cancellationToken)
            : [];
}
