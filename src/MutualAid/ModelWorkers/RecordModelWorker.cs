using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.ModelWorkers;

/// <summary>
/// 劳模登记: a clerk records a member's model-worker title from the certificate (level, title, year).
/// Only a clerk, only for a member in their scope; the title, the member's model-worker mark and the
/// audit line in one unit of work. A member has one title: recorded twice at once, it is stored once
/// (a unique index), and the second is told who recorded it.
/// </summary>
public sealed class RecordModelWorker(MutualAidDbContext db, TimeProvider clock)
{
    /// <summary>The levels by the words people use (全国, 省部级, 市级; also national, provincial, city).</summary>
    public static readonly IReadOnlyDictionary<string, ModelWorkerLevel> Levels = new Dictionary<string, ModelWorkerLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["全国"] = ModelWorkerLevel.National, ["national"] = ModelWorkerLevel.National,
        ["省部级"] = ModelWorkerLevel.Provincial, ["省级"] = ModelWorkerLevel.Provincial, ["provincial"] = ModelWorkerLevel.Provincial,
        ["市级"] = ModelWorkerLevel.City, ["city"] = ModelWorkerLevel.City,
    };

    public async Task<ModelWorkerTitle> HandleAsync(UserScope clerk, long memberId, string? level, string? title, int? year, Actor actor, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException("劳模登记", "只有经办人员可以登记劳模");
        var member = await clerk.Members(db).SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new InvalidInputException("会员", "没有这个会员，或不在您的范围内");
        var subject = $"会员 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}）的劳模登记";
        var now = clock.Now();
        var problems = new List<Problem>();
        if (level is null || !Levels.TryGetValue(level.Trim(), out var named))
        {
            problems.Add(new Problem($"{subject}：级别", $"“{level}”应为 全国、省部级、市级 之一"));
            named = default;
        }
        title = title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 50)
            problems.Add(new Problem($"{subject}：称号", "不能为空，50 字以内（例如：全国劳动模范）"));
        if (year is not { } awarded || awarded < 1950 || awarded > BeijingTime.Day(now).Year)
            problems.Add(new Problem($"{subject}：授予年份", $"“{year}”应为 1950–{BeijingTime.Day(now).Year} 年"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        if (await db.ModelWorkers.AsNoTracking().FirstOrDefaultAsync(t => t.MemberId == memberId, cancellationToken) is { } existing)
            throw Exists(subject, existing);

        var record = new ModelWorkerTitle(memberId, named, title!, year!.Value, actor.User, now);
        db.ModelWorkers.Add(record);
        member.ModelWorker = true;
        db.Audit(actor, now, "登记劳模", $"会员 {memberId}", $"{member.Name}：{Names.Of(named)} {record.Title}（{record.Year} 年）");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index let only one of two records at once through.
            db.ChangeTracker.Clear();
            throw Exists(subject, await db.ModelWorkers.AsNoTracking().SingleAsync(t => t.MemberId == memberId, cancellationToken));
        }
        return record;
    }

    /// <summary>A member's title, if recorded and in the person's scope.</summary>
    public static async Task<ModelWorkerTitle?> OfAsync(MutualAidDbContext db, UserScope person, long memberId, CancellationToken cancellationToken)
    {
        var inScope = person.Members(db).Where(m => m.Id == memberId).Select(m => m.Id);
        return await db.ModelWorkers.AsNoTracking().Where(t => inScope.Contains(t.MemberId)).FirstOrDefaultAsync(cancellationToken);
    }

    private static InvalidInputException Exists(string subject, ModelWorkerTitle title) =>
        new(subject, $"已由 {title.RecordedBy} 于 {BeijingTime.Day(title.RecordedAt):yyyy-MM-dd} 登记为{Names.Of(title.Level)}劳模（{title.Title}，{title.Year} 年），不能重复登记");
}
