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
    public async Task<Disclosure> HandleAsync(long unitId, DateOnly start, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == unitId, cancellationToken);
        var period = new DateRange(start, start.AddYears(1).AddDays(-1));
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        var unitLines = await LinesAsync(unitId, period, names, cancellationToken);
        var cityLines = await LinesAsync(null, period, names, cancellationToken);
        var paid = Money.Sum(await db.PremiumPayments.AsNoTracking().Where(p => p.UnitId == unitId && p.PeriodStart == start).Select(p => p.Amount).ToListAsync(cancellationToken));
        return new Disclosure(unit.Name, period, unit.Headcount, unitLines, paid, cityLines);
    }

    private async Task<List<DisclosureLine>> LinesAsync(long? unitId, DateRange period, Schemes.PlanNames names, CancellationToken cancellationToken)
    {
        var enrollments = await db.Enrollments.AsNoTracking()
            .Where(e => e.Start == period.Start && e.Status != EnrollmentStatus.Withdrawn && (unitId == null || e.UnitId == unitId))
            .GroupBy(e => new { e.PlanCode, e.Premium })
            .Select(g => new { g.Key.PlanCode, g.Key.Premium, Heads = g.Count() })
            .ToListAsync(cancellationToken);
        var members = db.Members.Where(m => unitId == null || m.UnitId == unitId).Select(m => m.Id);
        var claims = await db.ClaimLines.AsNoTracking()
            .Where(l => db.Claims.Any(c => c.Id == l.ClaimId && members.Contains(c.MemberId) && (c.State == ClaimState.Approved || c.State == ClaimState.Paid)
                && c.EventDate >= period.Start && c.EventDate <= period.End))
            .Select(l => new { l.PlanCode, l.ClaimId, l.Amount })
            .ToListAsync(cancellationToken);
        var byPlan = claims.Where(c => c.Amount > Money.Zero).GroupBy(c => c.PlanCode).ToDictionary(g => g.Key, g => (Claims: g.Select(c => c.ClaimId).Distinct().Count(), Paid: Money.Sum(g.Select(c => c.Amount))));
        return [.. enrollments.Select(e => e.PlanCode).Union(byPlan.Keys).Distinct().Order(StringComparer.Ordinal).Select(plan =>
        {
            var enrolled = enrollments.Where(e => e.PlanCode == plan).ToList();
            var paid = byPlan.GetValueOrDefault(plan);
            return new DisclosureLine(names.Plan(plan), enrolled.Sum(e => e.Heads), Money.Sum(enrolled.Select(e => e.Premium * e.Heads)), paid.Claims, paid.Paid);
        })];
    }
}
