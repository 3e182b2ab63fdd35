using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Enrollment;

/// <summary>
/// Where an enrolment falls: the member's period, and the months of it charged out of the
/// months of the unit's period. A period of its own, or a join on the unit period's first day,
/// is charged whole (12 of 12 for a year).
/// </summary>
public sealed record Placement(DateRange Period, DateRange UnitPeriod, int Months, int OfMonths, bool Joins)
{
    /// <summary>A period of its own from <paramref name="start"/>, for <paramref name="years"/> years (the plan version's <c>periodYears</c>).</summary>
    public static Placement NewPeriod(DateOnly start, int years = 1)
    {
        var whole = new DateRange(start, start.AddYears(years).AddDays(-1));
        var months = PartPeriod.Months(whole.Start, whole.End);
        return new Placement(whole, whole, months, months, Joins: false);
    }

    /// <summary>The premium charged for <paramref name="premium"/> a full period: pro rata to the fen, half away from zero.</summary>
    public Money Charge(Money premium) => Months >= OfMonths ? premium : Money.RoundFen(premium.Fen * (decimal)Months / OfMonths);

    /// <summary>A price's reason with the part charged, when only a part is (新进职工 按 5/12 个月).</summary>
    public string Note(string reason) => Months >= OfMonths ? reason : $"{reason}，按 {Months}/{OfMonths} 个月";
}

/// <summary>The part-period rule (新进职工年中参保) as arithmetic.</summary>
public static class PartPeriod
{
    /// <summary>Calendar months from <paramref name="from"/>'s month to <paramref name="to"/>'s, both counted.</summary>
    public static int Months(DateOnly from, DateOnly to) => ((to.Year - from.Year) * 12) + to.Month - from.Month + 1;

    /// <summary>
    /// Joining <paramref name="running"/> on <paramref name="day"/> under <paramref name="rule"/>: the member's
    /// period runs to the unit period's end. Null when the rule starts cover after the period has ended.
    /// </summary>
    public static Placement? Join(DateRange running, DateOnly day, PartPeriodPremium rule)
    {
        var total = Months(running.Start, running.End);
        if (day <= running.Start)
            return new Placement(running, running, total, total, Joins: false);
        var start = rule == PartPeriodPremium.NextMonth && day.Day != 1 ? new DateOnly(day.Year, day.Month, 1).AddMonths(1) : day;
        if (start > running.End)
            return null;
        var months = rule == PartPeriodPremium.Whole ? total : Months(start, running.End);
        return new Placement(new DateRange(start, running.End), running, months, total, Joins: true);
    }
}

/// <summary>
/// Each unit's periods (参保期间) per plan, read from its enrollments: all that end on one day are
/// one period, which began on the earliest of their starts (the roster; new hires joined later).
/// A worker enrolled from a day inside a running period joins it, to its end, rather than starting
/// a year of their own that would miss the unit's renewal and its participation count.
/// </summary>
public sealed class UnitPeriods
{
    private readonly List<(long Unit, string Plan, DateRange Period)> _periods;

    private UnitPeriods(List<(long Unit, string Plan, DateRange Period)> periods) => _periods = periods;

    public static async Task<UnitPeriods> LoadAsync(Data.MutualAidDbContext db, IReadOnlyCollection<long> unitIds, CancellationToken cancellationToken)
    {
        if (unitIds.Count == 0)
            return new UnitPeriods([]);
        var ids = unitIds.ToList();
        var rows = await db.Enrollments.AsNoTracking()
            .Where(e => e.UnitId != null && ids.Contains(e.UnitId.Value) && e.Status != EnrollmentStatus.Withdrawn)
            .Select(e => new { Unit = e.UnitId!.Value, e.PlanCode, e.Start, e.End })
            .Distinct()
            .ToListAsync(cancellationToken);
        return new UnitPeriods([.. rows.GroupBy(r => (r.Unit, r.PlanCode, r.End))
            .Select(g => (g.Key.Unit, g.Key.PlanCode, new DateRange(g.Min(r => r.Start), g.Key.End)))]);
    }

    /// <summary>
    /// The unit's period running on <paramref name="day"/>: of the plan, else of any plan of the unit
    /// (a new plan joins the unit's calendar); the longest-running when several are.
    /// </summary>
    public DateRange? Running(long unitId, string planCode, DateOnly day)
    {
        var running = _periods.Where(p => p.Unit == unitId && p.Period.Contains(day)).ToList();
        var own = running.Where(p => p.Plan == planCode).ToList();
        var candidates = own.Count > 0 ? own : running;
        return candidates.Count == 0 ? null : candidates.OrderBy(p => p.Period.Start).ThenBy(p => p.Period.End).First().Period;
    }

    /// <summary>
    /// The period for a member of <paramref name="unitId"/> (null: an individual) enrolled in
    /// <paramref name="plan"/> from <paramref name="day"/>: the unit's running period joined from that day,
    /// else a period of their own of <paramref name="years"/> years. <paramref name="mustJoin"/> (新进职工 <c>--from</c>) refuses when no period runs.
    /// </summary>
    public Placement? Place(long? unitId, string planCode, DateOnly day, bool mustJoin, PartPeriodPremium rule, int years, out string? problem)
    {
        problem = null;
        if (unitId is { } unit && Running(unit, planCode, day) is { } running)
        {
            var placement = PartPeriod.Join(running, day, rule);
            if (placement is null)
                problem = $"单位本期 {running.End:yyyy-MM-dd} 结束，按方案次月生效已在本期之外，请参加下一期";
            return placement;
        }
        if (mustJoin)
        {
            problem = unitId is null ? "个人参保会员没有单位的参保期间，请给出开始日期（期间一年）" : $"单位在 {day:yyyy-MM-dd} 没有进行中的参保期间，请给出开始日期开始新的期间";
            return null;
        }
        return Placement.NewPeriod(day, years);
    }
}
