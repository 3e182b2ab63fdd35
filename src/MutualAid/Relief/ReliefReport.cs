using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Relief;

/// <summary>One district's relief of the year: how many members were paid, and how much.</summary>
public sealed record ReliefDistrictRow(string District, int Paid, Money Amount);

/// <summary>
/// The council's relief report for a year: relief paid by district, the budget and what is approved
/// but not yet paid, and the share of hardship members among the year's claimants.
/// </summary>
public sealed record ReliefReportResult(int Year, IReadOnlyList<ReliefDistrictRow> Districts, int PaidCount, Money PaidTotal, Money ApprovedUnpaid,
    Money? Budget, int Claimants, int HardshipClaimants)
{
    /// <summary>困难职工占理赔人数的比例, null when the year has no claimant.</summary>
    public decimal? HardshipShare => Claimants == 0 ? null : Math.Round(100m * HardshipClaimants / Claimants, 1, MidpointRounding.AwayFromZero);
}

/// <summary>
/// <c>mutualaid relief report</c> and the web's 救助统计: relief paid in the year (the application's
/// budget year) by the member's district; claimants are members with a claim approved or paid whose
/// event falls in the year, and hardship members among them those marked as in hardship (困难职工: by an
/// approved hardship file, or as the roster or a clerk recorded them).
/// </summary>
public sealed class ReliefReport(MutualAidDbContext db)
{
    public async Task<ReliefReportResult> HandleAsync(int year, CancellationToken cancellationToken)
    {
        var paid = await (
                from a in db.ReliefApplications.AsNoTracking()
                where a.Year == year && a.State == ReliefState.Paid
                join m in db.Members on a.MemberId equals m.Id
                from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
                from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
                group a by d == null ? null : d.Name into g
                select new { District = g.Key, Count = g.Count(), Fen = g.Sum(a => Sql.Fen(a.Amount)) })
            .ToListAsync(cancellationToken);
        var unpaid = await db.ReliefApplications.AsNoTracking().Where(a => a.Year == year && a.State == ReliefState.Approved).SumAsync(a => Sql.Fen(a.Amount), cancellationToken);
        var budget = await db.ReliefBudgets.AsNoTracking().Where(b => b.Year == year).Select(b => (Money?)b.Amount).SingleOrDefaultAsync(cancellationToken);
        var (from, to) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var claims = db.Claims.AsNoTracking().Where(c => (c.State == ClaimState.Approved || c.State == ClaimState.Paid) && c.EventDate >= from && c.EventDate <= to);
        var count = await claims.Select(c => c.MemberId).Distinct().CountAsync(cancellationToken);
        // Hardship members are few: each is looked up among the claims by its member index, not the other way round.
        var hardship = await db.Members.AsNoTracking().CountAsync(m => m.Hardship && claims.Any(c => c.MemberId == m.Id), cancellationToken);
        var rows = paid.OrderBy(p => p.District ?? "\uffff", StringComparer.Ordinal)
            .Select(p => new ReliefDistrictRow(p.District ?? "市本级（无单位）", p.Count, new Money(p.Fen))).ToList();
        return new ReliefReportResult(year, rows, rows.Sum(r => r.Paid), Money.Sum(rows.Select(r => r.Amount)), new Money(unpaid), budget, count, hardship);
    }
}
