using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Settlements;

namespace MutualAid.Replay;

/// <summary>A stored line as a replay compares it.</summary>
internal sealed record StoredLine(long ClaimId, string PlanCode, string? BenefitCode, Money Amount, string? Reason);

/// <summary>A stored claim as a replay reads it: what computing it again takes (its event: the settlement or the clerk's details) and its stored lines.</summary>
internal sealed record StoredClaim(long Id, long MemberId, EventKinds Kind, DateOnly EventDate, ClaimState State, long? SettlementId, long? MatchedToId,
    ClaimEvent? Details, Settlement? Settlement)
{
    public string Number => Claim.NumberOf(EventDate, Id);

    public List<StoredLine> Lines { get; } = [];
}

/// <summary>A member of a batch: the ID number and what the book reads.</summary>
internal sealed record ReplayMember(long Id, string IdNumber, BookMember Book);

/// <summary>One stored claim and, when it was computed again, its lines now; <see cref="Skipped"/> says why it was not.</summary>
internal sealed record ReplayedClaim(StoredClaim Claim, IReadOnlyList<ClaimLine>? Lines, string? Skipped);

/// <summary>The members of one batch and their claims, member by member, each member's in the order they were computed.</summary>
internal sealed record ReplayBatch(IReadOnlyDictionary<long, ReplayMember> Members, IReadOnlyList<ReplayedClaim> Claims);

/// <summary>
/// Adjudicates stored claims again from the stored rules, member by member in batches: each
/// member's accounts start from nothing (their paid enrollments, no history) and take the
/// member's claims in claim id order, the order they were computed, each from its event as
/// stored (a settlement's <c>ToEvent</c>, a manual claim's details and the plans its lines name).
/// A claim rejected or reversed no longer counts for the claims after it, as in <see cref="ClaimBook"/>,
/// and a settlement matched to a manual claim was never computed: both are passed on, not computed.
/// A batch is read in five small queries (members, enrollments, moves, claims with their events,
/// lines), projected, never tracked; it is computed on another thread while the next batch is
/// read (the calculator is pure). Reads only; a batch is in memory, never the whole table.
/// </summary>
internal sealed class ClaimReplay(MutualAidDbContext db, StoredSchemes schemes)
{
    public const int MembersPerBatch = 2_000;

    /// <param name="members">The members to replay (each once), read a batch at a time in id order.</param>
    /// <param name="until">Claims of events after this day are left out.</param>
    public async IAsyncEnumerable<ReplayBatch> RunAsync(IQueryable<long> members, DateOnly until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = 0L;
        Task<ReplayBatch>? computing = null;
        while (true)
        {
            var from = last;
            var batch = await members.Where(id => id > from).OrderBy(id => id).Take(MembersPerBatch).ToArrayAsync(cancellationToken);
            if (batch.Length == 0)
                break;
            last = batch[^1];
            var read = await ReadAsync(batch, until, cancellationToken);
            // One batch computes at a time (the schemes are shared), while the caller takes the one before and the next is read.
            var done = computing is null ? null : await computing;
            computing = Task.Run(() => Compute(read), cancellationToken);
            if (done is not null)
                yield return done;
        }
        if (computing is not null)
            yield return await computing;
    }

    private sealed record Read(Dictionary<long, ReplayMember> Members, ClaimBook Book, List<StoredClaim> Claims);

    private async Task<Read> ReadAsync(long[] ids, DateOnly until, CancellationToken cancellationToken)
    {
        var members = (await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.Id, m.IdNumber, m.Type, m.Gender, m.InsuranceType, m.ModelWorker, m.Name, m.Phone, m.BirthDate, m.UnitId })
                .ToListAsync(cancellationToken))
            .ToDictionary(m => m.Id, m => new ReplayMember(m.Id, m.IdNumber,
                new BookMember(new MemberFacts(m.Type, m.Gender, m.InsuranceType, m.ModelWorker), m.Name, m.Phone, m.BirthDate, m.UnitId)));
        // Every status, filtered by the book: a status in the query leads SQLite to read the enrollments by status, not by member.
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => ids.Contains(e.MemberId)).ToListAsync(cancellationToken);
        var moves = schemes.CoverPlans.Count == 0 ? []
            : await db.MemberTransfers.AsNoTracking().Where(t => ids.Contains(t.MemberId)).OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var book = ClaimBook.Fresh(schemes, members.ToDictionary(m => m.Key, m => m.Value.Book), enrollments, moves);
        var claims = await (
                from c in db.Claims.AsNoTracking()
                where ids.Contains(c.MemberId) && c.EventDate <= until
                join s in db.Settlements.AsNoTracking() on c.SettlementId equals s.Id into settled
                from s in settled.DefaultIfEmpty()
                orderby c.MemberId, c.Id
                select new StoredClaim(c.Id, c.MemberId, c.Kind, c.EventDate, c.State, c.SettlementId, c.MatchedToId, c.Details, s))
            .ToListAsync(cancellationToken);
        var byId = claims.ToDictionary(c => c.Id);
        await foreach (var line in (
                           from l in db.ClaimLines.AsNoTracking()
                           join c in db.Claims on l.ClaimId equals c.Id
                           where ids.Contains(c.MemberId) && c.EventDate <= until
                           orderby l.ClaimId, l.Id
                           select new StoredLine(l.ClaimId, l.PlanCode, l.BenefitCode, l.Amount, l.Reason))
                       .AsAsyncEnumerable().WithCancellation(cancellationToken))
            byId[line.ClaimId].Lines.Add(line);
        return new Read(members, book, claims);
    }

    private static ReplayBatch Compute(Read read)
    {
        var replayed = new List<ReplayedClaim>(read.Claims.Count);
        foreach (var claim in read.Claims)
        {
            if (Skipped(claim) is { } why)
            {
                replayed.Add(new ReplayedClaim(claim, null, why));
                continue;
            }
            var key = claim.MemberId.ToString(CultureInfo.InvariantCulture);
            var lines = claim.Settlement is { } settlement
                ? read.Book.Adjudicate(claim.MemberId, settlement.ToEvent(key), explain: false)
                : read.Book.Adjudicate(claim.MemberId, claim.Details!.ToEvent($"claim-{claim.Id}", key, claim.Kind, claim.EventDate),
                    [.. read.Book.PlansFor(claim.MemberId, claim.Kind, claim.EventDate).Where(p => claim.Lines.Any(l => l.PlanCode == p.Code))], explain: false);
            replayed.Add(new ReplayedClaim(claim, lines, null));
        }
        return new ReplayBatch(read.Members, replayed);
    }

    /// <summary>Why a claim is not computed again: it no longer counts, or it was never computed.</summary>
    public static string? Skipped(StoredClaim claim) => claim switch
    {
        { MatchedToId: not null } => "已匹配人工理赔，未计算",
        { State: ClaimState.Rejected } => "已驳回，不再计入",
        { State: ClaimState.Reversed } => "已冲销，不再计入",
        _ => null,
    };
}
