using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Reports;

public sealed record UnitCoverage(string Code, string Name, int Headcount, int Enrolled, decimal Rate, bool MeetsTarget);

public sealed record DistrictCoverage(string Code, string Name, int Units, int UnitsEnrolled, decimal UnitRate, int Headcount, int Enrolled, decimal WorkerRate, IReadOnlyList<UnitCoverage> UnitsDetail);

/// <summary>参保覆盖率 on a day for one plan: per district and unit, against the 80% of units and 80% of workers targets.</summary>
public sealed record Coverage(string Plan, DateOnly On, decimal Target, IReadOnlyList<DistrictCoverage> Districts)
{
    public int Units => Districts.Sum(d => d.Units);

    public int UnitsEnrolled => Districts.Sum(d => d.UnitsEnrolled);

    public int Headcount => Districts.Sum(d => d.Headcount);

    public int Enrolled => Districts.Sum(d => d.Enrolled);
}

/// <summary>One unit's figures for a plan on a day, as the database counts them.</summary>
public sealed class UnitCount
{
    public long DistrictId { get; init; }

    public string DistrictCode { get; init; } = "";

    public string DistrictName { get; init; } = "";

    public string Code { get; init; } = "";

    public string Name { get; init; } = "";

    public int Headcount { get; init; }

    /// <summary>Workers of the unit holding the plan on the day (each once, whatever their periods).</summary>
    public int Enrolled { get; init; }
}

/// <summary><c>mutualaid report coverage</c>: a unit counts as enrolled when any of its workers holds the plan on the day.</summary>
public sealed class CoverageReport(MutualAidDbContext db)
{
    public const decimal Target = 0.8m;

    /// <summary>
    /// The 80% rule for a unit's workers, exactly (four fifths, no rounding); one expression, so the
    /// database filters the units below it by the same rule the report marks them with. A unit
    /// without a headcount does not meet it.
    /// </summary>
    public static readonly Expression<Func<UnitCount, bool>> MeetsTargetRule = u => u.Headcount > 0 && u.Enrolled * 5 >= u.Headcount * 4;

    /// <summary>The units below the 80% rule: <see cref="MeetsTargetRule"/> negated, for the database.</summary>
    public static readonly Expression<Func<UnitCount, bool>> BelowTargetRule =
        Expression.Lambda<Func<UnitCount, bool>>(Expression.Not(MeetsTargetRule.Body), MeetsTargetRule.Parameters);

    private static readonly Func<UnitCount, bool> Meets = MeetsTargetRule.Compile();

    public static bool MeetsTarget(UnitCount unit) => Meets(unit);

    public async Task<Coverage> HandleAsync(string planCode, DateOnly on, CancellationToken cancellationToken)
    {
        var units = await Units(planCode, on).OrderBy(u => u.Code).ToListAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code).ToListAsync(cancellationToken);
        var rows = districts.Select(d =>
        {
            var detail = units.Where(u => u.DistrictId == d.Id)
                .Select(u => new UnitCoverage(u.Code, u.Name, u.Headcount, u.Enrolled, Rate(u.Enrolled, u.Headcount), Meets(u))).ToList();
            var headcount = detail.Sum(u => u.Headcount);
            var members = detail.Sum(u => u.Enrolled);
            var withAny = detail.Count(u => u.Enrolled > 0);
            return new DistrictCoverage(d.Code, d.Name, detail.Count, withAny, Rate(withAny, detail.Count), headcount, members, Rate(members, headcount), detail);
        }).ToList();
        return new Coverage(planCode, on, Target, rows);
    }

    /// <summary>Every unit with its district and the workers enrolled in the plan on the day, counted by the database: a page filters, counts and pages it there.</summary>
    public IQueryable<UnitCount> Units(string planCode, DateOnly on)
    {
        var enrolled = db.Enrollments
            .Where(e => e.PlanCode == planCode && e.Status != EnrollmentStatus.Withdrawn && e.Start <= on && e.End >= on && e.UnitId != null)
            .GroupBy(e => e.UnitId)
            .Select(g => new { UnitId = g.Key, Members = g.Select(e => e.MemberId).Distinct().Count() });
        return from unit in db.Units.AsNoTracking()
               join district in db.Districts on unit.DistrictId equals district.Id
               join count in enrolled on (long?)unit.Id equals count.UnitId into counts
               from count in counts.DefaultIfEmpty()
               select new UnitCount
               {
                   DistrictId = district.Id, DistrictCode = district.Code, DistrictName = district.Name, Code = unit.Code, Name = unit.Name,
                   Headcount = unit.Headcount, Enrolled = (int?)count!.Members ?? 0,
               };
    }

    /// <summary>A share to four decimals (0.8125 is 81.25%); 0 when there is nothing to share.</summary>
    public static decimal Rate(int part, int whole) =>
        whole == 0 ? 0 : decimal.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
