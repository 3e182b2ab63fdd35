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

/// <summary>
/// <c>mutualaid report coverage</c> and its page: a unit counts as enrolled when any of its workers
/// holds the plan on the day. The database counts every unit's workers in one grouped query; a
/// city has thousands of units, not millions, so the page filters and pages them in memory.
/// </summary>
public sealed class CoverageReport(MutualAidDbContext db)
{
    public const decimal Target = 0.8m;

    /// <summary>The 80% rule for a unit's workers, exactly (four fifths, no rounding). A unit without a headcount does not meet it.</summary>
    public static bool MeetsTarget(int enrolled, int headcount) => headcount > 0 && enrolled * 5 >= headcount * 4;

    public async Task<Coverage> HandleAsync(string planCode, DateOnly on, CancellationToken cancellationToken)
    {
        var enrolled = await db.Enrollments
            .Where(e => e.PlanCode == planCode && e.Status != EnrollmentStatus.Withdrawn && e.Start <= on && e.End >= on && e.UnitId != null)
            .GroupBy(e => e.UnitId!.Value)
            .Select(g => new { UnitId = g.Key, Members = g.Select(e => e.MemberId).Distinct().Count() })
            .ToDictionaryAsync(g => g.UnitId, g => g.Members, cancellationToken);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Code).ToListAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code).ToListAsync(cancellationToken);
        var rows = districts.Select(d =>
        {
            var detail = units.Where(u => u.DistrictId == d.Id).Select(u =>
            {
                var members = enrolled.GetValueOrDefault(u.Id);
                return new UnitCoverage(u.Code, u.Name, u.Headcount, members, Rate(members, u.Headcount), MeetsTarget(members, u.Headcount));
            }).ToList();
            var headcount = detail.Sum(u => u.Headcount);
            var members = detail.Sum(u => u.Enrolled);
            var withAny = detail.Count(u => u.Enrolled > 0);
            return new DistrictCoverage(d.Code, d.Name, detail.Count, withAny, Rate(withAny, detail.Count), headcount, members, Rate(members, headcount), detail);
        }).ToList();
        return new Coverage(planCode, on, Target, rows);
    }

    /// <summary>A share to four decimals (0.8125 is 81.25%); 0 when there is nothing to share.</summary>
    public static decimal Rate(int part, int whole) =>
        whole == 0 ? 0 : decimal.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
