using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Schemes;

/// <summary>What loading a scheme file did, version by version ("INPATIENT 2024-01-01").</summary>
public sealed record LoadSchemeResult(string Code, string Name, IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    public bool Unchanged => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0;
}

/// <summary>
/// <c>mutualaid scheme load FILE</c>: stores a scheme with all its versions. Loading the same
/// file again changes nothing. A version that enrollments use is never changed or removed,
/// and no new version may take over periods already enrolled under another: such a file is
/// refused whole, with the reason for each version.
/// </summary>
public sealed class LoadScheme(MutualAidDbContext db, TimeProvider clock)
{
    public async Task<LoadSchemeResult> HandleAsync(string json, CancellationToken cancellationToken)
    {
        var scheme = SchemeReader.Parse(json);
        var fingerprints = SchemeFingerprint.Versions(json);
        var incoming = scheme.Plans
            .SelectMany(p => p.Versions.Select(v => new StoredPlanVersion(p.Code, p.Name, v.EffectiveFrom, v.Premium, fingerprints[(p.Code, v.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))])))
            .ToList();
        var now = clock.Now();

        var stored = await db.Schemes.Include(s => s.Versions).SingleOrDefaultAsync(s => s.Code == scheme.Code, cancellationToken);
        if (stored is null)
        {
            stored = new StoredScheme(scheme.Code, scheme.Name, json, now);
            foreach (var version in incoming)
                stored.Add(version);
            db.Schemes.Add(stored);
            await db.SaveChangesAsync(cancellationToken);
            return new LoadSchemeResult(scheme.Code, scheme.Name, [.. incoming.Select(Label)], [], []);
        }

        var enrolled = await db.Enrollments
            .Join(db.PlanVersions.Where(v => v.SchemeId == stored.Id), e => e.PlanVersionId, v => v.Id, (e, v) => new { v.Id, v.PlanCode, v.EffectiveFrom, e.Start })
            .ToListAsync(cancellationToken);
        var uses = enrolled.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Count());
        // A version of a plan covering all members (no enrolment) is in use once a claim's line counts under it, for the year of its event.
        var before = stored.Versions.ToDictionary(v => v.Id);
        var versionIds = before.Keys.ToList();
        var claimed = await db.ClaimLines.Where(l => l.CoverVersionId != null && versionIds.Contains(l.CoverVersionId.Value))
            .Join(db.Claims, l => l.ClaimId, c => c.Id, (l, c) => new { Id = l.CoverVersionId!.Value, c.EventDate })
            .Distinct().ToListAsync(cancellationToken);
        var lines = claimed.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Count());
        string? InUse(long id) =>
            uses.GetValueOrDefault(id) is var count and > 0 ? $"{count} 条参保" : lines.GetValueOrDefault(id) is var events and > 0 ? $"{events} 个理赔事件" : null;
        var problems = new List<Problem>();
        List<string> added = [], changed = [], removed = [];

        foreach (var old in stored.Versions.ToList())
        {
            var match = incoming.FirstOrDefault(v => v.PlanCode == old.PlanCode && v.EffectiveFrom == old.EffectiveFrom);
            var used = InUse(old.Id);
            if (match is null)
            {
                if (used is not null)
                    problems.Add(new Problem(Label(old), $"已有 {used}使用该版本，不能删除 (a version in use cannot be removed)"));
                stored.Remove(old);
                removed.Add(Label(old));
            }
            else if (match.Fingerprint != old.Fingerprint)
            {
                if (used is not null)
                    problems.Add(new Problem(Label(old), $"已有 {used}使用该版本，不能修改；请以新的生效日期增加版本 (a version in use cannot change)"));
                old.Update(match.PlanName, match.Premium, match.Fingerprint);
                changed.Add(Label(old));
            }
            else
            {
                old.Update(match.PlanName, match.Premium, match.Fingerprint);
            }
        }
        foreach (var version in incoming.Where(v => !stored.Versions.Any(o => o.PlanCode == v.PlanCode && o.EffectiveFrom == v.EffectiveFrom)))
        {
            stored.Add(version);
            added.Add(Label(version));
        }
        foreach (var period in enrolled)
        {
            var governing = scheme.FindPlan(period.PlanCode)?.VersionFor(period.Start)?.EffectiveFrom;
            if (governing != period.EffectiveFrom)
            {
                problems.Add(new Problem($"{period.PlanCode} {governing:yyyy-MM-dd}",
                    $"{period.Start:yyyy-MM-dd} 起的参保期间已按 {period.EffectiveFrom:yyyy-MM-dd} 版本参保，新版本的生效日期须晚于已参保期间的开始日期 (a new version may not take over enrolled periods)"));
            }
        }
        foreach (var (id, date) in claimed.Select(c => (c.Id, c.EventDate)))
        {
            var old = before[id];
            if (scheme.FindPlan(old.PlanCode) is not { Cover: not null } plan || Benefits.CoverRule.YearOf(plan, date) is not { } year)
                continue;
            var governing = plan.VersionFor(year.Start)?.EffectiveFrom;
            if (governing != old.EffectiveFrom)
            {
                problems.Add(new Problem($"{old.PlanCode} {governing:yyyy-MM-dd}",
                    $"{year.Start:yyyy}年已按 {old.EffectiveFrom:yyyy-MM-dd} 版本给付全体会员保障，新版本的生效日期须晚于该年的开始日期 (a new version may not take over a year already claimed)"));
            }
        }
        if (problems.Count > 0)
            throw new InvalidInputException([.. problems.DistinctBy(p => p.ToString())]);

        if (SchemeFingerprint.Document(json) != SchemeFingerprint.Document(stored.Document))
            stored.Replace(scheme.Name, json, now);
        await db.SaveChangesAsync(cancellationToken);
        return new LoadSchemeResult(scheme.Code, scheme.Name, added, changed, removed);
    }

    private static string Label(StoredPlanVersion version) =>
        $"{version.PlanCode} {version.EffectiveFrom:yyyy-MM-dd}";
}
