using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Reports;

/// <summary>One plan's line of the disclosure: heads enrolled, premiums, claims and what they were paid.</summary>
public sealed record DisclosureLine(string Plan, int Enrolled, Money Premiums, int Claims, Money Payouts);

/// <summary>
/// 运行情况通报 for a unit and a period: what its workers put in and got out, plan by plan, beside
/// the whole city's, so a unit sees the mutual aid at work. Claims count by their event date in the
/// period, once approved or paid; premiums are the enrollments' premiums of periods starting then.
/// </summary>
public sealed record Disclosure(string Unit, DateRange Period, int Headcount, IReadOnlyList<DisclosureLine> UnitLines, Money UnitPaid, IReadOnlyList<DisclosureLine> CityLines)
{
    public DisclosureLine UnitTotal => Total(UnitLines);

    public DisclosureLine CityTotal => Total(CityLines);

    private static DisclosureLine Total(IReadOnlyList<DisclosureLine> lines) =>
        new("合计", lines.Sum(l => l.Enrolled), Money.Sum(lines.Select(l => l.Premiums)), lines.Sum(l => l.Claims), Money.Sum(lines.Select(l => l.Payouts)));
}

public sealed class UnitDisclosure(MutualAidDbContext db)
{
    /// <param name="city">The city's lines for the period when the caller has them (<see cref="CityLinesAsync"/>, shared by every unit's page).</param>
    public async Task<Disclosure> HandleAsync(long unitId, DateOnly start, IReadOnlyList<DisclosureLine>? city, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == unitId, cancellationToken);
        var period = Period(start);
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        var unitLines = await LinesAsync(unitId, period, names, cancellationToken);
        var cityLines = city ?? await LinesAsync(null, period, names, cancellationToken);
        var paid = Money.Sum(await db.PremiumPayments.AsNoTracking().Where(p => p.UnitId == unitId && p.PeriodStart == start).Select(p => p.Amount).ToListAsync(cancellationToken));
        return new Disclosure(unit.Name, period, unit.Headcount, unitLines, paid, cityLines);
    }

    /// <summary>The whole city's lines for the period starting on <paramref name="start"/>.</summary>
    public async Task<List<DisclosureLine>> CityLinesAsync(DateOnly start, CancellationToken cancellationToken) =>
        await LinesAsync(null, Period(start), await Schemes.PlanNames.LoadAsync(db, cancellationToken), cancellationToken);

    private static DateRange Period(DateOnly start) => new(start, start.AddYears(1).AddDays(-1));

    private async Task<List<DisclosureLine>> LinesAsync(long? unitId, DateRange period, Schemes.PlanNames names, CancellationToken cancellationToken)
    {
        var enrollments = await db.Enrollments.AsNoTracking()
            .Where(e => e.Start == period.Start && e.Status != EnrollmentStatus.Withdrawn && (unitId == null || e.UnitId == unitId))
            .GroupBy(e => new { e.PlanCode, e.Premium })
            .Select(g => new { g.Key.PlanCode, g.Key.Premium, Heads = g.Count() })
            .ToListAsync(cancellationToken);
        var lines = db.ClaimLines.AsNoTracking().Where(l => l.Amount > Money.Zero);
        if (unitId is null)
            lines = lines.Where(l => db.Claims.Any(c => c.Id == l.ClaimId && (c.State == ClaimState.Approved || c.State == ClaimState.Paid)
                && c.EventDate >= period.Start && c.EventDate <= period.End));
        else
        {
            // A unit's claims by its members' index first: asked in one query, SQLite walks the city's decided claims instead.
            var claims = await db.Claims.AsNoTracking().Where(c => db.Members.Where(m => m.UnitId == unitId).Select(m => m.Id).Contains(c.MemberId))
                .Select(c => new { c.Id, c.State, c.EventDate }).ToListAsync(cancellationToken);
            var ids = claims.Where(c => c.State is ClaimState.Approved or ClaimState.Paid && period.Contains(c.EventDate)).Select(c => c.Id).ToList();
            lines = lines.Where(l => ids.Contains(l.ClaimId));
        }
        var byPlan = await lines
            .GroupBy(l => l.PlanCode)
            .Select(g => new { Plan = g.Key, Claims = g.Select(l => l.ClaimId).Distinct().Count(), Fen = g.Sum(l => Sql.Fen(l.Amount)) })
            .ToDictionaryAsync(g => g.Plan, g => (g.Claims, Paid: new Money(g.Fen)), cancellationToken);
        return [.. enrollments.Select(e => e.PlanCode).Union(byPlan.Keys).Distinct().Order(StringComparer.Ordinal).Select(plan =>
        {
            var enrolled = enrollments.Where(e => e.PlanCode == plan).ToList();
            var paid = byPlan.GetValueOrDefault(plan);
            return new DisclosureLine(names.Plan(plan), enrolled.Sum(e => e.Heads), Money.Sum(enrolled.Select(e => e.Premium * e.Heads)), paid.Claims, paid.Paid);
        })];
    }
}
