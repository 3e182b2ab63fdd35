using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Data;

namespace MutualAid.Replay;

/// <summary>One stored claim and, when it was computed again, its lines now; <see cref="Skipped"/> says why it was not.</summary>
public sealed record ReplayedClaim(Claim Claim, IReadOnlyList<ClaimLine>? Lines, string? Skipped);

/// <summary>The members of one batch and their claims in the order they were computed.</summary>
public sealed record ReplayBatch(long[] MemberIds, IReadOnlyList<ReplayedClaim> Claims);

/// <summary>
/// Adjudicates stored claims again from the stored rules, member by member in batches: each
/// member's accounts start from nothing (their paid enrollments, no history) and take the
/// member's claims in claim id order, the order they were computed, each from its event as
/// stored (a settlement's <c>ToEvent</c>, a manual claim's details and the plans its lines name).
/// A claim rejected or reversed no longer counts for the claims after it, as in <see cref="ClaimBook"/>,
/// and a settlement matched to a manual claim was never computed: both are passed on, not computed.
/// Reads only; a batch's claims are in memory, never the whole table.
/// </summary>
internal sealed class ClaimReplay(MutualAidDbContext db, StoredSchemes schemes)
{
    public const int MembersPerBatch = 1_000;

    /// <param name="members">The members to replay (each once), read a batch at a time in id order.</param>
    /// <param name="until">Claims of events after this day are left out.</param>
    public async IAsyncEnumerable<ReplayBatch> RunAsync(IQueryable<long> members, DateOnly until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = 0L;
        while (true)
        {
            var from = last;
            var batch = await members.Where(id => id > from).OrderBy(id => id).Take(MembersPerBatch).ToArrayAsync(cancellationToken);
            if (batch.Length == 0)
                yield break;
            last = batch[^1];
            yield return await ReplayAsync(batch, until, cancellationToken);
        }
    }

    private async Task<ReplayBatch> ReplayAsync(long[] memberIds, DateOnly until, CancellationToken cancellationToken)
    {
        var book = await ClaimBook.LoadWithoutHistoryAsync(db, schemes, memberIds, cancellationToken);
        var claims = await db.Claims.AsNoTracking().AsSplitQuery().Include(c => c.Lines)
            .Where(c => memberIds.Contains(c.MemberId) && c.EventDate <= until).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var settlementIds = claims.Where(c => c.SettlementId is not null && c.MatchedToId is null).Select(c => c.SettlementId!.Value).ToArray();
        var settlements = await db.Settlements.AsNoTracking().Where(s => settlementIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var replayed = new List<ReplayedClaim>(claims.Count);
        foreach (var claim in claims)
        {
            if (Skipped(claim) is { } why)
            {
                replayed.Add(new ReplayedClaim(claim, null, why));
                continue;
            }
            var key = claim.MemberId.ToString(CultureInfo.InvariantCulture);
            var lines = claim.SettlementId is { } settlement
                ? book.Adjudicate(claim.MemberId, settlements[settlement].ToEvent(key))
                : book.Adjudicate(claim.MemberId, claim.Details!.ToEvent($"claim-{claim.Id}", key, claim.Kind, claim.EventDate),
                    [.. book.PlansFor(claim.MemberId, claim.Kind, claim.EventDate).Where(p => claim.Lines.Any(l => l.PlanCode == p.Code))]);
            replayed.Add(new ReplayedClaim(claim, lines, null));
        }
        return new ReplayBatch(memberIds, replayed);
    }

    /// <summary>Why a claim is not computed again: it no longer counts, or it was never computed.</summary>
    public static string? Skipped(Claim claim) => claim switch
    {
        { MatchedToId: not null } => "已匹配人工理赔，未计算",
        { State: ClaimState.Rejected } => "已驳回，不再计入",
        { State: ClaimState.Reversed } => "已冲销，不再计入",
        _ => null,
    };
}
