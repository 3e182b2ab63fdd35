using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Enrollment;

/// <summary>A period a member already holds (not withdrawn), for the overlap and dependency rules.</summary>
public readonly record struct HeldPeriod(string PlanCode, DateRange Period);

public static class HeldPeriods
{
    // One array parameter per query (json_each on SQLite, = ANY on PostgreSQL): large chunks, few round trips.
    private const int Chunk = 10_000;

    /// <summary>The periods each member holds, by member id.</summary>
    public static async Task<Dictionary<long, List<HeldPeriod>>> LoadAsync(Data.MutualAidDbContext db, IReadOnlyList<long> memberIds, CancellationToken cancellationToken)
    {
        var held = new Dictionary<long, List<HeldPeriod>>();
        foreach (var chunk in memberIds.Chunk(Chunk))
        {
            var rows = await db.Enrollments.AsNoTracking()
                .Where(e => chunk.Contains(e.MemberId) && e.Status != EnrollmentStatus.Withdrawn)
                .Select(e => new { e.MemberId, e.PlanCode, e.Start, e.End })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                if (!held.TryGetValue(row.MemberId, out var list))
                    held[row.MemberId] = list = [];
                list.Add(new HeldPeriod(row.PlanCode, new DateRange(row.Start, row.End)));
            }
        }
        return held;
    }
}

/// <summary>
/// Who may enrol in a plan for a period (参保条件), said in words a clerk can pass on:
/// the plan's version, age on the start date, member type, gender, units, no overlap with
/// a period of the same plan, and the plans it requires.
/// </summary>
public static class EnrollmentRules
{
    public static readonly IReadOnlyDictionary<string, MemberType> MemberTypeNames = new Dictionary<string, MemberType>
    {
        ["在职"] = MemberType.InService,
        ["退休"] = MemberType.Retired,
        ["灵活就业"] = MemberType.Flexible,
        ["新就业形态"] = MemberType.Flexible,
        ["失业"] = MemberType.Unemployed,
        ["劳模"] = MemberType.ModelWorker,
    };

    /// <summary>
    /// 续保: the member held the plan, or a plan it takes continuity from, in a period that
    /// <paramref name="period"/> continues (it starts before, and the new one starts no more than the
    /// plan's <c>renewalGraceDays</c> + 1 days after it ends), as the benefit rules count continuity.
    /// </summary>
    public static bool Continues(Plan plan, DateRange period, IEnumerable<HeldPeriod> held) =>
        held.Any(h => (h.PlanCode == plan.Code || plan.ContinuityWith.Any(p => p.Code == h.PlanCode))
            && h.Period.Start < period.Start && period.Start.DayNumber - h.Period.End.DayNumber <= plan.RenewalGraceDays + 1);

    /// <summary>The price of enrolling in <paramref name="plan"/> for <paramref name="period"/> under the version in force on its start.</summary>
    public static PremiumPrice Price(Plan plan, DateRange period, int units, Units.UnitKind? unitKind, IEnumerable<HeldPeriod> held) =>
        plan.VersionFor(period.Start)!.PriceFor(unitKind, Continues(plan, period, held), units);

    /// <summary>Years of a period of <paramref name="plan"/> starting on <paramref name="start"/> (1 when no version is in force yet: the rules then refuse it).</summary>
    public static int PeriodYears(Plan plan, DateOnly start) => plan.VersionFor(start)?.PeriodYears ?? 1;

    public static List<string> Check(Plan plan, DateOnly birthDate, Gender gender, MemberType type, DateRange period, int units, IEnumerable<HeldPeriod> held,
        bool modelWorker = false)
    {
        var problems = new List<string>();
        if (plan.Cover is not null)
            return [$"{plan.Name}为{CoverRule.Why}，不能参保"];
        if (plan.VersionFor(period.Start) is null)
            problems.Add($"{plan.Name}在 {period.Start:yyyy-MM-dd} 尚无生效版本");
        var age = Age.On(birthDate, period.Start);
        if (age < plan.MinEnrollAge || age > plan.MaxEnrollAge)
            problems.Add($"参保开始日 {period.Start:yyyy-MM-dd} 年满 {age} 周岁，{plan.Name}限 {plan.MinEnrollAge}–{plan.MaxEnrollAge} 周岁");
        if (plan.MemberTypes is { } types && !types.Contains(type) && !(modelWorker && types.Contains(MemberType.ModelWorker)))
            problems.Add($"{Names.Of(type)}人员不能参加{plan.Name}（限{string.Join("、", types.Select(Names.Of))}）");
        if (plan.Genders is { } genders && !genders.Contains(gender))
            problems.Add($"{plan.Name}仅限{(genders.Contains(Gender.Female) ? "女性" : "男性")}参加");
        if (units < 1 || units > plan.MaxUnits)
            problems.Add($"份数 {units} 不在 1–{plan.MaxUnits} 之间");
        var periods = held.ToList();
        foreach (var other in periods.Where(h => h.PlanCode == plan.Code && h.Period.Overlaps(period)))
            problems.Add($"与已有的{plan.Name} {other.Period} 参保期间重叠");
        foreach (var required in plan.Requires.Where(r => !periods.Any(h => h.PlanCode == r.Code && h.Period.Contains(period.Start))))
            problems.Add($"参加{plan.Name}须同时参加{required.Name}");
        return problems;
    }
}
