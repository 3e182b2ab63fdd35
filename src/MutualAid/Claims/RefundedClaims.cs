using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using MutualAid.Payments;
using MutualAid.Settlements;

namespace MutualAid.Claims;

/// <summary>
/// What a refund (红冲) of a settlement does to the settlement's claim: an unpaid claim is
/// reversed (an approved one takes its expense back out of the books); a paid one stays as it
/// was and a recovery (追回) of its total is opened; while a payment of it is pending at the
/// bank the refund is refused, to be imported again after the return file. A settlement
/// without a claim needs nothing. Load the claims of a batch's refunded settlements, decide
/// row by row, then post once inside the importer's transaction.
/// </summary>
public sealed class RefundedClaims
{
    private readonly Dictionary<long, Claim> _bySettlement;
    private readonly Dictionary<long, string> _paying;
    private readonly List<Claim> _reversedApproved = [];
    private readonly List<(Claim Claim, Settlement Refund)> _recovered = [];

    private RefundedClaims(Dictionary<long, Claim> bySettlement, Dictionary<long, string> paying)
    {
        _bySettlement = bySettlement;
        _paying = paying;
    }

    /// <summary>The claims (with their lines, which the books post) of <paramref name="settlementIds"/>, tracked, and which of them are being paid.</summary>
    public static async Task<RefundedClaims> LoadAsync(MutualAidDbContext db, IReadOnlyCollection<long> settlementIds, CancellationToken cancellationToken)
    {
        if (settlementIds.Count == 0)
            return new RefundedClaims([], []);
        var claims = await db.Claims.Include(c => c.Lines).Where(c => c.SettlementId != null && settlementIds.Contains(c.SettlementId.Value))
            .ToDictionaryAsync(c => c.SettlementId!.Value, cancellationToken);
        var claimIds = claims.Values.Select(c => c.Id).ToList();
        var paying = claimIds.Count == 0 ? [] : await db.Payments.AsNoTracking()
            .Where(p => p.ClaimId != null && claimIds.Contains(p.ClaimId.Value) && p.State == PaymentState.Pending)
            .Join(db.PaymentBatches, p => p.BatchId, b => b.Id, (p, b) => new { p.ClaimId, b.CreatedAt, b.Id })
            .ToDictionaryAsync(p => p.ClaimId!.Value, p => PaymentBatch.CodeOf(p.CreatedAt, p.Id), cancellationToken);
        return new RefundedClaims(claims, paying);
    }

    /// <summary>Why the refund of <paramref name="settlement"/> cannot be taken now, or null when it can.</summary>
    public string? Refusal(Settlement settlement) =>
        _bySettlement.GetValueOrDefault(settlement.Id) is { } claim && _paying.TryGetValue(claim.Id, out var batch)
            ? $"该结算的理赔 {claim.Number} 正在发放（批次 {batch}），请在银行回盘后再导入这笔冲销"
            : null;

    /// <summary>Reverses the unpaid claim of <paramref name="original"/>, or opens the recovery of a paid one when posted.</summary>
    public void Refund(Settlement original, Settlement refund, DateTime now)
    {
        if (Refusal(original) is { } why)
            throw new InvalidOperationException(why);
        if (_bySettlement.GetValueOrDefault(original.Id) is not { } claim)
            return;
        if (claim.State == ClaimState.Paid)
        {
            _recovered.Add((claim, refund));
            return;
        }
        if (claim.State == ClaimState.Approved)
            _reversedApproved.Add(claim);
        claim.Reverse(now);
    }

    /// <summary>The recoveries and the books of what <see cref="Refund"/> decided; the refunds must have their ids (inserted) by now.</summary>
    public async Task PostAsync(MutualAidDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        db.Recoveries.AddRange(_recovered.Select(r => new Recovery(r.Claim.Id, r.Refund.Id, r.Claim.Total,
            $"医保结算 {r.Refund.RefundsSetlId} 已被 {r.Refund.SetlId} 红冲，理赔 {r.Claim.Number} 已支付", now)));
        var books = new Ledger.Books(db);
        await books.ReversedAsync(_reversedApproved, now, cancellationToken);
        await books.RecoveriesAsync([.. _recovered.Select(r => r.Claim)], now, cancellationToken);
    }
}
