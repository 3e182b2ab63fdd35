using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Relief;

/// <summary>
/// 困难职工建档 and 认定: a clerk opens a member's hardship file; a second person approves it. Each is
/// one business event (the file, the member's hardship mark, the audit line) in one unit of work, for
/// members in the person's scope only (a district's clerk, the members of the district's units). A file
/// opened twice at once is one file (a unique index); approved twice at once, approved once (its version).
/// </summary>
public sealed class HardshipFiles(MutualAidDbContext db, TimeProvider clock)
{
    public Task<HardshipFile> OpenAsync(UserScope clerk, string? idNumber, string? reason, string? evidence, DateOnly? reviewOn, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => OpenAttemptAsync(clerk, idNumber, reason, evidence, reviewOn, actor, ct), cancellationToken);

    private async Task<HardshipFile> OpenAttemptAsync(UserScope clerk, string? idNumber, string? reason, string? evidence, DateOnly? reviewOn, Actor actor, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException("困难档案", "只有经办人员可以建立困难档案");
        var today = clock.Today();
        var problems = new List<Problem>();
        reason = reason?.Trim();
        evidence = evidence?.Trim();
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
            problems.Add(new Problem("困难原因", "不能为空，200 字以内"));
        if (string.IsNullOrWhiteSpace(evidence) || evidence.Length > 500)
            problems.Add(new Problem("证明材料", "不能为空，500 字以内"));
        if (reviewOn is not { } review || review <= today || review > today.AddYears(3))
            problems.Add(new Problem("复核日期", $"应为今天以后三年以内的日期（{today.AddDays(1):yyyy-MM-dd} 至 {today.AddYears(3):yyyy-MM-dd}）"));
        var member = await MemberAsync(clerk, idNumber, "建档", problems, cancellationToken);
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        if (await db.HardshipFiles.AsNoTracking().FirstOrDefaultAsync(f => f.MemberId == member!.Id, cancellationToken) is { } existing)
            throw Exists(member!, existing);

        var now = clock.Now();
        var file = new HardshipFile(member!.Id, reason!, evidence!, reviewOn!.Value, actor.User, now);
        db.HardshipFiles.Add(file);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index let only one of two files opened at once through.
            var first = await db.HardshipFiles.AsNoTracking().SingleAsync(f => f.MemberId == member.Id, cancellationToken);
            throw Exists(member, first);
        }
        db.Audit(actor, now, "建立困难档案", $"困难档案 {file.Number}", $"会员 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}）：{file.Reason}；复核日期 {file.ReviewOn:yyyy-MM-dd}");
        await db.SaveChangesAsync(cancellationToken);
        return file;
    }

    /// <summary>认定: a clerk or reviewer other than who opened the file, for a member in their scope; the member is marked as in hardship.</summary>
    public async Task<HardshipFile> ApproveAsync(UserScope person, string number, Actor actor, CancellationToken cancellationToken)
    {
        if (!person.Roles.Overlaps([Roles.Clerk, Roles.Reviewer]))
            throw new InvalidInputException($"困难档案 {number}", "只有经办或复核人员可以认定困难档案");
        var (file, member) = await InScopeAsync(person, number, "认定", cancellationToken);
        var now = clock.Now();
        file.Approve(actor.User, now);
        member.Hardship = true;
        db.Audit(actor, now, "认定困难档案", $"困难档案 {file.Number}", $"会员 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}），{file.OpenedBy} 建档");
        await db.SaveChangesAsync(cancellationToken);
        return file;
    }

    /// <summary>
    /// 复核 from a month before the review date: the member is still in hardship until <paramref name="next"/>, or the file is
    /// closed with <paramref name="closeReason"/> and the member's hardship mark removed. One event with its
    /// audit line; two reviews at once take effect once (the file's version).
    /// </summary>
    public async Task<HardshipFile> ReviewAsync(UserScope person, string number, DateOnly? next, string? closeReason, Actor actor, CancellationToken cancellationToken)
    {
        if (!person.Roles.Overlaps([Roles.Clerk, Roles.Reviewer]))
            throw new InvalidInputException($"困难档案 {number}", "只有经办或复核人员可以复核困难档案");
        closeReason = string.IsNullOrWhiteSpace(closeReason) ? null : closeReason.Trim();
        var problems = new List<Problem>();
        if (closeReason is { Length: > 200 })
            problems.Add(new Problem("撤销原因", "200 字以内"));
        var today = clock.Today();
        if (closeReason is null && (next is not { } date || date <= today.AddDays(HardshipFile.ReviewWindowDays) || date > today.AddYears(3)))
            problems.Add(new Problem("下次复核日期", $"应在 {today.AddDays(HardshipFile.ReviewWindowDays + 1):yyyy-MM-dd} 至 {today.AddYears(3):yyyy-MM-dd} 之间"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        var (file, member) = await InScopeAsync(person, number, "复核", cancellationToken);
        var now = clock.Now();
        file.Review(actor.User, now, today, next, closeReason);
        member.Hardship = file.State == HardshipState.Approved;
        db.Audit(actor, now, "复核困难档案", $"困难档案 {file.Number}", $"会员 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}）："
            + (closeReason is null ? $"仍属困难，下次复核日期 {file.ReviewOn:yyyy-MM-dd}" : $"撤销，{closeReason}"));
        await db.SaveChangesAsync(cancellationToken);
        return file;
    }

    /// <summary>The file of a number and its member, when the member is in the person's scope.</summary>
    private async Task<(HardshipFile File, Members.Member Member)> InScopeAsync(UserScope person, string number, string what, CancellationToken cancellationToken)
    {
        var id = HardshipFile.IdOf(number.Trim());
        var file = await db.HardshipFiles.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (file is null || !string.Equals(file.Number, number.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"困难档案 {number}", "没有这个档案");
        var member = await person.Members(db).SingleOrDefaultAsync(m => m.Id == file.MemberId, cancellationToken)
            ?? throw new InvalidInputException($"困难档案 {file.Number}", $"该会员不在 {person.UserName} 的范围内，不能{what}");
        return (file, member);
    }

    /// <summary>The member of an ID number within the person's scope; a problem naming the field otherwise.</summary>
    internal async Task<Members.Member?> MemberAsync(UserScope person, string? idNumber, string what, List<Problem> problems, CancellationToken cancellationToken)
    {
        if (!IdNumber.TryParse(idNumber?.Trim(), out var id, out var error))
        {
            problems.Add(new Problem("身份证号", error));
            return null;
        }
        var member = await person.Members(db).SingleOrDefaultAsync(m => m.IdNumber == id.Value, cancellationToken);
        if (member is null)
            problems.Add(new Problem("身份证号", await db.Members.AnyAsync(m => m.IdNumber == id.Value, cancellationToken)
                ? $"会员 {id.Masked} 不在 {person.UserName} 的范围内，不能{what}"
                : $"没有身份证号为 {id.Masked} 的会员"));
        return member;
    }

    private static InvalidInputException Exists(Members.Member member, HardshipFile file) =>
        new($"困难档案 {file.Number}", $"会员 {member.Name} 已有困难档案（{file.OpenedBy} 于 {BeijingTime.Day(file.OpenedAt):yyyy-MM-dd} 建档，{Names.Of(file.State)}），不能重复建档");
}
