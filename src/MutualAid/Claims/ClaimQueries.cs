using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Claims;

public sealed record ClaimSummary(string Number, string Member, string IdNumber, string Kind, DateOnly EventDate, string State, decimal Total, string? SetlId);

public sealed record ClaimLineView(string Plan, string? Benefit, decimal Amount, string? Reason, string Explanation);

/// <summary>A claim with its lines, and the claims that may be the same event (<see cref="SameEvent"/>), described.</summary>
public sealed record ClaimView(ClaimSummary Claim, IReadOnlyList<ClaimLineView> Lines, IReadOnlyList<string> PossibleDuplicates);

public sealed record OverdueClaim(ClaimSummary Claim, int Days);

/// <summary><c>claims list</c> and <c>claims show NUMBER</c>; ID numbers are masked.</summary>
public sealed class ClaimQueries(MutualAidDbContext db)
{
    public async Task<IReadOnlyList<ClaimSummary>> ListAsync(ClaimState? state, int take, CancellationToken cancellationToken)
    {
        var claims = db.Claims.AsNoTracking().Where(c => state == null || c.State == state).OrderByDescending(c => c.Id).Take(take);
        var rows = await WithNames(claims).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.Claim.Id).Select(Summary)];
    }

    public async Task<ClaimView?> ShowAsync(string number, CancellationToken cancellationToken)
    {
        var id = Claim.IdOf(number);
        var row = await WithNames(db.Claims.AsNoTracking().Where(c => c.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (row is null || row.Claim.Number != number)
            return null;
        var lines = await db.ClaimLines.AsNoTracking().Where(l => l.ClaimId == id).OrderBy(l => l.Id)
            .Select(l => new { l.PlanCode, l.BenefitCode, l.Amount, l.Reason, l.Explanation })
            .ToListAsync(cancellationToken);
        var duplicates = (await SameEvent.AmongAsync(db, [row.Claim], cancellationToken)).GetValueOrDefault(id, []);
        return new ClaimView(Summary(row), [.. lines.Select(l => new ClaimLineView(l.PlanCode, l.BenefitCode, l.Amount.Yuan, l.Reason, l.Explanation))],
            [.. duplicates.Select(d => d.Describe())]);
    }

    /// <summary>
    /// The promise: open claims past the day the scheme promised payment by (intake or import
    /// plus its <c>promiseDays</c>, 7 unless it says), or, given <paramref name="days"/>, older
    /// than that many days; oldest first, with the days since intake. Closed claims (paid,
    /// rejected, reversed, nothing payable) are not overdue.
    /// </summary>
    public async Task<IReadOnlyList<OverdueClaim>> OverdueAsync(int? days, DateTime now, CancellationToken cancellationToken)
    {
        var claims = Overdue(db.Claims.AsNoTracking(), days, now);
        var rows = await WithNames(claims).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Claim.CreatedAt).ThenBy(r => r.Claim.Id).Select(r => new OverdueClaim(Summary(r), (int)(now - r.Claim.CreatedAt).TotalDays))];
    }

    /// <summary>The rule of <see cref="OverdueAsync"/> over any claims (a user's scope, for a page that counts and pages in the database).</summary>
    public static IQueryable<Claim> Overdue(IQueryable<Claim> claims, int? days, DateTime now)
    {
        var since = now.AddDays(-(days ?? 0));
        return claims.Where(c => Claim.Open.Contains(c.State) && (days == null ? c.DueBy < now : c.CreatedAt < since));
    }

    private IQueryable<Row> WithNames(IQueryable<Claim> claims) =>
        from claim in claims
        join member in db.Members on claim.MemberId equals member.Id
        join settlement in db.Settlements on claim.SettlementId equals settlement.Id into matched
        from settlement in matched.DefaultIfEmpty()
        select new Row { Claim = claim, Name = member.Name, IdNumber = member.IdNumber, SetlId = settlement == null ? null : settlement.SetlId };

    private static ClaimSummary Summary(Row row) =>
        new(row.Claim.Number, row.Name, IdNumber.Parse(row.IdNumber).Masked, row.Claim.Kind.ToString(), row.Claim.EventDate,
            row.Claim.State.ToString(), row.Claim.Total.Yuan, row.SetlId);

    private sealed class Row
    {
        public required Claim Claim { get; init; }
        public required string Name { get; init; }
        public required string IdNumber { get; init; }
        public string? SetlId { get; init; }
    }
}
