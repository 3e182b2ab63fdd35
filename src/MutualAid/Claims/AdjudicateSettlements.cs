using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Claims;

/// <summary>What adjudicating the new settlements did.</summary>
public sealed record AdjudicationReport(int Claims, int Payable, int NothingPayable, int ApprovedByRule, decimal Total);

/// <summary>
/// 无感办: every imported settlement without a claim becomes one, computed by the benefit rules
/// against the member's paid enrollments and everything their earlier claims counted (caps,
/// once-only sums, accumulated bases). Members are taken in batches, each in one transaction
/// that locks them first; within a member, events by date then settlement id, as
/// <c>mutualaid calc</c> takes them. Claims, lines, transitions and SMS notices are written
/// by the bulk path. A settlement for an event already claimed by hand (<see cref="SameEvent"/>) is
/// matched to that claim and pays nothing: the manual claim keeps the stay, whatever its state.
/// </summary>
public sealed class AdjudicateSettlements(MutualAidDbContext db, TimeProvider clock)
{
    private const int MembersPerBatch = 2_000;

    public async Task<AdjudicationReport> HandleAsync(CancellationToken cancellationToken)
    {
        var waiting = await Unclaimed(db.Settlements).Select(s => s.MemberId).Distinct().ToListAsync(cancellationToken);
        var schemes = await StoredSchemes.LoadAsync(db, cancellationToken);
        int claims = 0, payable = 0, nothing = 0, approved = 0;
        var total = Money.Zero;
        foreach (var members in waiting.Order().Chunk(MembersPerBatch))
        {
            var written = await db.InTransactionAsync(ct => AdjudicateAsync(members, schemes, ct), cancellationToken);
            claims += written.Count;
            payable += written.Count(c => c.State == ClaimState.PendingReview);
            nothing += written.Count(c => c.State == ClaimState.NothingPayable);
            approved += written.Count(c => c.State == ClaimState.Approved);
            total = written.Aggregate(total, (sum, c) => sum + c.Total);
        }
        return new AdjudicationReport(claims, payable, nothing, approved, total.Yuan);
    }

    private IQueryable<Settlements.Settlement> Unclaimed(IQueryable<Settlements.Settlement> settlements) =>
        settlements.AsNoTracking().Where(s => s.RefundsSetlId == null && s.RefundedBySetlId == null && !db.Claims.Any(c => c.SettlementId == s.Id));

    private async Task<List<Claim>> AdjudicateAsync(long[] memberIds, StoredSchemes schemes, CancellationToken cancellationToken)
    {
        await ClaimBook.LockAsync(db, memberIds, cancellationToken);
        // Read under the lock: another process may have claimed some of them meanwhile.
        var settlements = await Unclaimed(db.Settlements.Where(s => memberIds.Contains(s.MemberId))).ToListAsync(cancellationToken);
        var book = await ClaimBook.LoadAsync(db, schemes, memberIds, null, cancellationToken);
        // One stay, one payout: the events of these members already claimed by hand, in one query for the batch (rare, so few rows).
        var manual = (await SameEvent.LiveClaimsAsync(db, memberIds, manualOnly: true, cancellationToken)).ToLookup(c => c.Span.MemberId);

        var now = clock.Now();
        var claims = new List<Claim>(settlements.Count);
        foreach (var settlement in settlements.OrderBy(s => s.DischargeDate).ThenBy(s => s.SetlId, StringComparer.Ordinal))
        {
            var held = book.SchemesOf(settlement.MemberId, settlement.DischargeDate);
            var claim = new Claim(settlement.MemberId, settlement.Id, ClaimSource.Automatic, settlement.Kind, settlement.DischargeDate, now,
                promiseDays: held.Count == 0 ? 7 : held.Min(s => s.PromiseDays), admission: settlement.AdmissionDate);
            if (manual[settlement.MemberId].Where(c => c.Span.Overlaps(claim.Span)).MinBy(c => c.Id) is { } byHand)
            {
                claim.MatchTo(byHand.Id, byHand.Number);
                claims.Add(claim);
                continue;
            }
            claim.Computed(book.Adjudicate(settlement.MemberId, settlement.ToEvent(settlement.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            if (held.Count == 1 && held[0].AutoApproveUpTo is { } limit && claim.State == ClaimState.PendingReview && claim.Total <= limit)
                claim.ApproveByRule(limit, now);
            claims.Add(claim);
        }

        await BulkInsert.InsertAsync(db, claims, cancellationToken);
        foreach (var claim in claims)
        {
            foreach (var line in claim.Lines)
                line.BelongTo(claim.Id);
            foreach (var transition in claim.Transitions)
                transition.BelongTo(claim.Id);
        }
        await BulkInsert.InsertAsync(db, [.. claims.SelectMany(c => c.Lines)], cancellationToken);
        await BulkInsert.InsertAsync(db, [.. claims.SelectMany(c => c.Transitions)], cancellationToken);
        await BulkInsert.InsertAsync(db, [.. claims.Select(c => book.NoticeOf(c, now)).OfType<Notice>()], cancellationToken);
        await new Ledger.Books(db).ApprovedAsync([.. claims.Where(c => c.State == ClaimState.Approved)], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return claims;
    }
}
