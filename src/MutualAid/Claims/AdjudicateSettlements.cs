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
/// once-only sums, accumulated bases). The feed claims each import batch in the batch's own
/// transaction (<see cref="ClaimBatchAsync"/>); <see cref="HandleAsync"/> finds any settlement
/// still without a claim. Members are locked first; within a member, events by date then
/// settlement id, as <c>mutualaid calc</c> takes them. Claims, lines and SMS notices are written
/// by the bulk path. A settlement for an event already claimed by hand (<see cref="SameEvent"/>) is
/// matched to that claim and pays nothing: the manual claim keeps the stay, whatever its state.
/// </summary>
public sealed class AdjudicateSettlements(MutualAidDbContext db, TimeProvider clock)
{
    private const int MembersPerBatch = 2_000;

    private StoredSchemes? _schemes;
    private int _claims, _payable, _nothing, _approved;
    private Money _total = Money.Zero;

    /// <summary>What this adjudicator did so far: by <see cref="HandleAsync"/> or batch by batch for the feed.</summary>
    public AdjudicationReport Report => new(_claims, _payable, _nothing, _approved, _total.Yuan);

    /// <summary>Every settlement left without a claim (a run cut short): found by a query over all settlements.</summary>
    public async Task<AdjudicationReport> HandleAsync(CancellationToken cancellationToken)
    {
        var waiting = await Unclaimed(db.Settlements).Select(s => s.MemberId).Distinct().ToListAsync(cancellationToken);
        foreach (var members in waiting.Order().Chunk(MembersPerBatch))
        {
            Count(await db.InTransactionAsync(async ct =>
            {
                await BulkInsert.LookUpByKeysAsync(db, ct);
                await ClaimBook.LockAsync(db, members, ct);
                // Read under the lock: another process may have claimed some of them meanwhile.
                var settlements = await Unclaimed(db.Settlements.Where(s => members.Contains(s.MemberId))).ToListAsync(ct);
                return await WriteAsync(members, settlements, ct);
            }, cancellationToken));
        }
        return Report;
    }

    /// <summary>
    /// The import's one pass: claims for the settlements of one batch, inside the importer's
    /// transaction, after it wrote them and locked their members (<see cref="ClaimBook.LockAsync"/>).
    /// <paramref name="written"/> are new, so nobody else can have claimed them; <paramref name="known"/>
    /// were stored before (the same file again after a run cut short) and are claimed only if still without one.
    /// </summary>
    internal async Task<List<Claim>> ClaimBatchAsync(IReadOnlyList<Settlements.Settlement> written, IReadOnlyList<Settlements.Settlement> known, CancellationToken cancellationToken)
    {
        var settlements = written.Where(Claimable).ToList();
        if (known.Count > 0)
        {
            var ids = known.Select(s => s.Id).ToList();
            var claimed = await db.Claims.AsNoTracking().Where(c => c.SettlementId != null && ids.Contains(c.SettlementId.Value))
                .Select(c => c.SettlementId!.Value).ToHashSetAsync(cancellationToken);
            settlements.AddRange(known.Where(s => Claimable(s) && !claimed.Contains(s.Id)));
        }
        return settlements.Count > 0 ? await WriteAsync([.. settlements.Select(s => s.MemberId).Distinct().Order()], settlements, cancellationToken) : [];
    }

    private static bool Claimable(Settlements.Settlement s) => s.RefundsSetlId == null && s.RefundedBySetlId == null;

    private IQueryable<Settlements.Settlement> Unclaimed(IQueryable<Settlements.Settlement> settlements) =>
        settlements.AsNoTracking().Where(s => s.RefundsSetlId == null && s.RefundedBySetlId == null && !db.Claims.Any(c => c.SettlementId == s.Id));

    /// <summary>Computes and writes the claims of <paramref name="settlements"/>, whose members are locked in the current transaction.</summary>
    private async Task<List<Claim>> WriteAsync(long[] memberIds, List<Settlements.Settlement> settlements, CancellationToken cancellationToken)
    {
        var schemes = _schemes ??= await StoredSchemes.LoadAsync(db, cancellationToken);
        var book = await ClaimBook.LoadAsync(db, schemes, memberIds, null, cancellationToken);
        // One stay, one payout: the events of these members already claimed by hand, in one query for the batch (rare, so few rows).
        var manual = (await SameEvent.LiveClaimsAsync(db, memberIds, manualOnly: true, cancellationToken)).ToLookup(c => c.Span.MemberId);
        // A stay claimed by hand in a year since archived cannot be matched (the match names a live claim): its settlement waits for a person.
        var archivedManual = (await SameEvent.ArchivedClaimsAsync(db, memberIds, manualOnly: true, cancellationToken)).ToLookup(c => c.Span.MemberId);

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
            if (held.Count == 1 && held[0].AutoApproveUpTo is { } limit && claim.State == ClaimState.PendingReview && claim.Total <= limit
                && !archivedManual[settlement.MemberId].Any(c => c.Span.Overlaps(claim.Span)))
                claim.ApproveByRule(limit);
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

    /// <summary>Adds claims written and committed to <see cref="Report"/>.</summary>
    internal void Count(IReadOnlyCollection<Claim> claims)
    {
        _claims += claims.Count;
        _payable += claims.Count(c => c.State == ClaimState.PendingReview);
        _nothing += claims.Count(c => c.State == ClaimState.NothingPayable);
        _approved += claims.Count(c => c.State == ClaimState.Approved);
        _total = claims.Aggregate(_total, (sum, c) => sum + c.Total);
    }
}
