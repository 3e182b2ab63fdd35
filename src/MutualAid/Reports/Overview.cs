using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Schemes;

namespace MutualAid.Reports;

/// <summary>Claims decided in a month of events and what they pay.</summary>
public sealed record MonthFigure(int Year, int Month, int Claims, Money Amount)
{
    public string Label => $"{Year}-{Month:D2}";
}

/// <summary>
/// The home page's figures for a user's scope, each counted or summed by the database. A tile
/// that links to a list counts by that list's own query (<see cref="ClaimList.Filter"/>), so the
/// number on the tile is the number of rows the list shows; the enrolment tile is the sum of the
/// by-plan table beneath it.
/// </summary>
/// <param name="DaysToPay">The average days from receipt to the bank's payment of the claims paid in the last 30 days.</param>
/// <param name="Bank">The fund's bank account in the books, for city-wide users only.</param>
public sealed record Overview(
    int Members, int PendingReview, int Approved, int Overdue, Money Paid, IReadOnlyList<MonthFigure> ByMonth,
    IReadOnlyList<(string Plan, int Count)> ByPlan, double? DaysToPay, Money? Bank)
{
    /// <summary>Enrolments in force today, every plan: the by-plan table's total.</summary>
    public int ActiveEnrollments => ByPlan.Sum(p => p.Count);

    public static async Task<Overview> ForAsync(MutualAidDbContext db, UserScope scope, DateTime now, CancellationToken cancellationToken)
    {
        var today = BeijingTime.Day(now);
        IQueryable<Claim> Claims(ClaimFilter filter) => ClaimList.Filter(db, scope, filter, now).AsNoTracking();

        var since = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var decided = Claims(new ClaimFilter(From: since)).Where(c => c.State == ClaimState.Approved || c.State == ClaimState.Paid);
        var months = await decided.GroupBy(c => new { c.EventDate.Year, c.EventDate.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count(), Fen = g.Sum(c => Sql.Fen(c.Total)) }).ToListAsync(cancellationToken);
        var byMonth = Enumerable.Range(0, 12).Select(i => since.AddMonths(i))
            .Select(m => months.SingleOrDefault(x => x.Year == m.Year && x.Month == m.Month) is { } x ? new MonthFigure(m.Year, m.Month, x.Count, new Money(x.Fen)) : new MonthFigure(m.Year, m.Month, 0, Money.Zero))
            .ToList();

        var names = await PlanNames.LoadAsync(db, cancellationToken);
        var enrollments = scope.Enrollments(db);
        // Plan by plan: each count is a range of the enrolments' (status, plan, end) index.
        var byPlan = new List<(string Plan, int Count)>();
        foreach (var plan in await db.PlanVersions.Select(v => v.PlanCode).Distinct().OrderBy(p => p).ToListAsync(cancellationToken))
        {
            var count = await enrollments.CountAsync(e => e.Status == EnrollmentStatus.Active && e.PlanCode == plan && e.End >= today && e.Start <= today, cancellationToken);
            if (count > 0)
                byPlan.Add((names.Plan(plan), count));
        }

        var monthAgo = now.AddDays(-30);
        var days = await Claims(new ClaimFilter(State: ClaimState.Paid)).Where(c => c.PaidAt >= monthAgo)
            .Select(c => (double?)Sql.Days(c.CreatedAt, c.PaidAt!.Value)).AverageAsync(cancellationToken);

        return new Overview(
            await scope.Members(db).CountAsync(cancellationToken),
            await Claims(new ClaimFilter(State: ClaimState.PendingReview)).CountAsync(cancellationToken),
            await Claims(new ClaimFilter(State: ClaimState.Approved)).CountAsync(cancellationToken),
            await Claims(new ClaimFilter(Overdue: true)).CountAsync(cancellationToken),
            new Money(await Claims(new ClaimFilter(State: ClaimState.Paid)).SumAsync(c => Sql.Fen(c.Total), cancellationToken)),
            byMonth,
            byPlan,
            days,
            scope.IsCityWide ? await new Ledger.LedgerCheck(db).BalanceAsync(Ledger.Accounts.Bank, cancellationToken) : null);
    }
}
