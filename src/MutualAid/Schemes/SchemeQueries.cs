using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Schemes;

public sealed record SchemeSummary(string Code, string Name, int Plans, int Versions, DateTime LoadedAt);

public sealed record PlanVersionView(string Plan, string PlanName, DateOnly EffectiveFrom, decimal Premium, IReadOnlyList<string> Benefits, int Enrollments)
{
    /// <summary>The version's prices in words: by unit kind, new or continuing, and the period's years.</summary>
    public string Prices { get; init; } = "";
}

public sealed record SchemeView(string Code, string Name, DateTime LoadedAt, IReadOnlyList<PlanVersionView> Versions);

/// <summary><c>scheme list</c> and <c>scheme show CODE</c>.</summary>
public sealed class SchemeQueries(MutualAidDbContext db)
{
    public async Task<IReadOnlyList<SchemeSummary>> ListAsync(CancellationToken cancellationToken) =>
        await db.Schemes
            .OrderBy(s => s.Code)
            .Select(s => new SchemeSummary(s.Code, s.Name, s.Versions.Select(v => v.PlanCode).Distinct().Count(), s.Versions.Count, s.LoadedAt))
            .ToListAsync(cancellationToken);

    public async Task<SchemeView?> ShowAsync(string code, CancellationToken cancellationToken)
    {
        var stored = await db.Schemes.AsNoTracking().Include(s => s.Versions).SingleOrDefaultAsync(s => s.Code == code, cancellationToken);
        if (stored is null)
            return null;
        var ids = stored.Versions.Select(v => v.Id).ToList();
        var uses = await db.Enrollments.Where(e => ids.Contains(e.PlanVersionId))
            .GroupBy(e => e.PlanVersionId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var scheme = SchemeReader.Parse(stored.Document);
        var versions = scheme.Plans
            .SelectMany(p => p.Versions.Select(v => (Plan: p, Version: v)))
            .Select(x =>
            {
                var row = stored.Versions.Single(s => s.PlanCode == x.Plan.Code && s.EffectiveFrom == x.Version.EffectiveFrom);
                return new PlanVersionView(x.Plan.Code, x.Plan.Name, x.Version.EffectiveFrom, x.Version.Premium.Yuan,
                    [.. x.Version.Benefits.Select(b => b.Code)], uses.GetValueOrDefault(row.Id)) { Prices = x.Version.PriceText };
            })
            .ToList();
        return new SchemeView(stored.Code, stored.Name, stored.LoadedAt, versions);
    }

    /// <summary>
    /// The scheme to enrol under: the one named, or the only one loaded; with several and none named,
    /// the only one holding <paramref name="plan"/>, else the city's own scheme, the one loaded first
    /// (a programme loaded beside it, such as the model workers' subsidy, is reached by its plans' codes).
    /// Refused with the reason when there is none.
    /// </summary>
    public async Task<LoadedScheme> ForEnrolmentAsync(string? code, CancellationToken cancellationToken, string? plan = null)
    {
        var schemes = await db.Schemes.AsNoTracking().Include(s => s.Versions).OrderBy(s => s.Id)
            .Where(s => code == null || s.Code == code).ToListAsync(cancellationToken);
        if (schemes.Count == 0)
            throw new InvalidInputException([new Problem("方案", code is null ? "尚未载入方案：mutualaid scheme load FILE" : $"没有方案 {code}")]);
        var loaded = schemes.Select(s => new LoadedScheme(s, SchemeReader.Parse(s.Document))).ToList();
        List<LoadedScheme> holding = plan is null ? [] : loaded.Where(s => s.Scheme.FindPlan(plan) is not null).ToList();
        return holding.Count == 1 ? holding[0] : loaded[0];
    }

    /// <summary>The stored scheme as the calculator reads it.</summary>
    public async Task<Scheme?> FindAsync(string code, CancellationToken cancellationToken) =>
        await db.Schemes.Where(s => s.Code == code).Select(s => s.Document).SingleOrDefaultAsync(cancellationToken) is { } document
            ? SchemeReader.Parse(document)
            : null;
}

/// <summary>A stored scheme with its rules read, to find plans and the version rows enrollments point at.</summary>
public sealed record LoadedScheme(StoredScheme Stored, Scheme Scheme)
{
    public Plan Plan(string code) =>
        Scheme.FindPlan(code) ?? throw new InvalidInputException([new Problem("计划", $"方案 {Scheme.Code} 没有计划 {code}")]);

    /// <summary>The stored version in force on a period's start, or null when the plan has none yet.</summary>
    public StoredPlanVersion? VersionFor(Plan plan, DateOnly start) =>
        plan.VersionFor(start) is { } version
            ? Stored.Versions.Single(v => v.PlanCode == plan.Code && v.EffectiveFrom == version.EffectiveFrom)
            : null;
}
