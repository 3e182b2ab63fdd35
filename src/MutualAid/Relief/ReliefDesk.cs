using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Relief;

/// <summary>
/// Second-round relief (二次救助): the year's budget set by finance, the committee's decision
/// entered by a clerk, and its check by a second person. Each is one business event with all its
/// effects in one unit of work: the approval takes its amount from the year's budget, posts the
/// expense to 二次救助支出, writes the member's SMS and the audit line. Guarded in the database: one
/// application a member a year (a unique index), and the versions of the application and the budget
/// make a check sent twice, or two checks at once against the last of the budget, take effect once.
/// The approved application is paid by the next payment batch (<see cref="ReliefPayments"/>).
/// </summary>
public sealed class ReliefDesk(MutualAidDbContext db, TimeProvider clock)
{
    /// <summary>救助预算: sets or changes the year's budget; never below what is approved already.</summary>
    public async Task<ReliefBudget> SetBudgetAsync(UserScope person, int year, Money amount, Actor actor, CancellationToken cancellationToken)
    {
        if (!person.Roles.Overlaps([Roles.Finance, Roles.Admin]))
            throw new InvalidInputException($"{year} 年救助预算", "只有财务人员可以设定救助预算");
        if (year is < 2000 or > 2100)
            throw new InvalidInputException("年度", $"“{year}”不是有效的年度");
        if (amount <= Money.Zero)
            throw new InvalidInputException($"{year} 年救助预算", $"应为正数金额，而不是 {amount.ToDisplayString()} 元");
        var now = clock.Now();
        var budget = await db.ReliefBudgets.SingleOrDefaultAsync(b => b.Year == year, cancellationToken);
        var before = budget?.Amount;
        if (budget is null)
            db.ReliefBudgets.Add(budget = new ReliefBudget(year, amount, actor.User, now));
        else
            budget.Change(amount, actor.User, now);
        db.Audit(actor, now, "设定救助预算", $"{year} 年救助预算", before is { } old ? $"{old.ToDisplayString()} → {amount.ToDisplayString()} 元" : $"{amount.ToDisplayString()} 元");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            throw new InvalidInputException($"{year} 年救助预算", "刚由他人同时设定，本次未生效，请刷新后查看");
        }
        return budget;
    }

    /// <summary>
    /// 录入救助申请: the committee's decision for a member with an approved hardship file whose review
    /// date has not passed, in a year with a budget; waits for a second person's check.
    /// </summary>
    public Task<ReliefApplication> ApplyAsync(UserScope clerk, string? idNumber, int year, Money? amount, string? meeting, string? note, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => ApplyAttemptAsync(clerk, idNumber, year, amount, meeting, note, actor, ct), cancellationToken);

    private async Task<ReliefApplication> ApplyAttemptAsync(UserScope clerk, string? idNumber, int year, Money? amount, string? meeting, string? note, Actor actor, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException("救助申请", "只有经办人员可以录入救助申请");
        var problems = new List<Problem>();
        meeting = meeting?.Trim();
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (amount is not { } money || money <= Money.Zero)
            problems.Add(new Problem("救助金额", "应为救助委员会决定的正数金额"));
        if (string.IsNullOrWhiteSpace(meeting) || meeting.Length > 100)
            problems.Add(new Problem("会议纪要", "应填写救助委员会的会议纪要编号，100 字以内"));
        if (note is { Length: > 200 })
            problems.Add(new Problem("备注", "200 字以内"));
        var member = await new HardshipFiles(db, clock).MemberAsync(clerk, idNumber, "申请救助", problems, cancellationToken);
        var budget = await db.ReliefBudgets.AsNoTracking().SingleOrDefaultAsync(b => b.Year == year, cancellationToken);
        if (budget is null)
            problems.Add(new Problem("年度", $"{year} 年尚未设定救助预算，请财务先设定"));
        else if (amount is { } asked && asked > budget.Remaining)
            problems.Add(new Problem("救助金额", $"{asked.ToDisplayString()} 元超过 {year} 年救助预算余额 {budget.Remaining.ToDisplayString()} 元"));
        HardshipFile? file = null;
        if (member is not null)
        {
            file = await db.HardshipFiles.AsNoTracking().SingleOrDefaultAsync(f => f.MemberId == member.Id, cancellationToken);
            var today = clock.Today();
            if (file is null)
                problems.Add(new Problem("身份证号", $"会员 {member.Name} 没有困难档案，请先建档并经另一人认定"));
            else if (file.State == HardshipState.Closed)
                problems.Add(new Problem($"困难档案 {file.Number}", $"已于复核时撤销（{file.ClosedReason}），不能申请救助"));
            else if (file.State != HardshipState.Approved)
                problems.Add(new Problem($"困难档案 {file.Number}", "尚未认定，须经另一人认定后才能申请救助"));
            else if (file.ReviewOn < today)
                problems.Add(new Problem($"困难档案 {file.Number}", $"已过复核日期 {file.ReviewOn:yyyy-MM-dd}，须复核后才能申请救助"));
        }
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        if (await LiveAsync(member!.Id, year, cancellationToken) is { } existing)
            throw Exists(member, existing);

        var now = clock.Now();
        var application = new ReliefApplication(year, member.Id, file!.Id, amount!.Value, meeting!, note, actor.User, now);
        db.ReliefApplications.Add(application);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index let only one of two applications entered at once through.
            throw Exists(member, await LiveAsync(member.Id, year, cancellationToken) ?? throw new InvalidOperationException("no live application after a unique violation"));
        }
        db.Audit(actor, now, "录入救助申请", $"救助申请 {application.Number}",
            $"会员 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}），{application.Amount.ToDisplayString()} 元，{application.Meeting}");
        await db.SaveChangesAsync(cancellationToken);
        return application;
    }

    /// <summary>
    /// 复核核准: a clerk or reviewer other than who entered it; refused when the amount would exceed
    /// what remains of the year's budget, read and taken in this transaction.
    /// </summary>
    public async Task<ReliefApplication> ApproveAsync(UserScope person, string number, Actor actor, CancellationToken cancellationToken)
    {
        var (application, member) = await LoadAsync(person, number, cancellationToken);
        var now = clock.Now();
        application.Approve(actor.User, now);
        var budget = await db.ReliefBudgets.SingleOrDefaultAsync(b => b.Year == application.Year, cancellationToken)
            ?? throw new InvalidInputException($"救助申请 {application.Number}", $"{application.Year} 年尚未设定救助预算");
        budget.Take(application);
        await new Ledger.Books(db).ReliefApprovedAsync(application, now, cancellationToken);
        if (Notice.ForRelief(application, member.Name, member.Phone, now) is { } notice)
            db.Notices.Add(notice);
        db.Audit(actor, now, "核准救助申请", $"救助申请 {application.Number}",
            $"{application.Amount.ToDisplayString()} 元，{application.EnteredBy} 录入；{application.Year} 年预算余额 {budget.Remaining.ToDisplayString()} 元");
        await db.SaveChangesAsync(cancellationToken);
        return application;
    }

    /// <summary>复核不予核准, with the reason; the member may be entered again in the year.</summary>
    public async Task<ReliefApplication> RefuseAsync(UserScope person, string number, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var (application, _) = await LoadAsync(person, number, cancellationToken);
        var now = clock.Now();
        reason = reason?.Trim();
        if (application.State == ReliefState.Submitted && (string.IsNullOrWhiteSpace(reason) || reason.Length > 200))
            throw new InvalidInputException("不予核准原因", "不能为空，200 字以内");
        application.Refuse(actor.User, now, reason!);
        db.Audit(actor, now, "不予核准救助申请", $"救助申请 {application.Number}", $"{application.Amount.ToDisplayString()} 元；原因：{reason}");
        await db.SaveChangesAsync(cancellationToken);
        return application;
    }

    private async Task<(ReliefApplication, Members.Member)> LoadAsync(UserScope person, string number, CancellationToken cancellationToken)
    {
        number = number.Trim();
        if (!person.Roles.Overlaps([Roles.Clerk, Roles.Reviewer]))
            throw new InvalidInputException($"救助申请 {number}", "只有经办或复核人员可以复核救助申请");
        var id = ReliefApplication.IdOf(number);
        var application = await db.ReliefApplications.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (application is null || !string.Equals(application.Number, number, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"救助申请 {number}", "没有这个申请");
        var member = await person.Members(db).AsNoTracking().SingleOrDefaultAsync(m => m.Id == application.MemberId, cancellationToken)
            ?? throw new InvalidInputException($"救助申请 {application.Number}", $"该会员不在 {person.UserName} 的范围内，不能复核");
        return (application, member);
    }

    private Task<ReliefApplication?> LiveAsync(long memberId, int year, CancellationToken cancellationToken) =>
        db.ReliefApplications.AsNoTracking().FirstOrDefaultAsync(a => a.MemberId == memberId && a.Year == year && a.State != ReliefState.Refused, cancellationToken);

    private static InvalidInputException Exists(Members.Member member, ReliefApplication application) =>
        new($"救助申请 {application.Number}", $"会员 {member.Name} {application.Year} 年已有救助申请（{application.EnteredBy} 录入，{Names.Of(application.State)}），每人每年一次");
}
