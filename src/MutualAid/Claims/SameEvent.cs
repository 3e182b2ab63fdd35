using Microsoft.EntityFrameworkCore;
using MutualAid.Archive;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Claims;

/// <summary>
/// The days an event of a member takes, for 一次事件一次给付 (one stay, one payout). A stay runs
/// from admission to discharge and holds the nights in between (a stay that ends the day it
/// begins holds that day); any other event holds its date. Two events are the same when
/// <see cref="Overlaps"/>: same member, same kind, a day in common. A transfer (discharged from one
/// hospital and admitted to another the same day) shares no night, so it is two stays.
/// </summary>
public readonly record struct EventSpan(long MemberId, EventKinds Kind, DateOnly Start, DateOnly End)
{
    /// <summary>The first day: the admission of a stay (when given and not after the end), else the event's date.</summary>
    public static DateOnly StartOf(EventKinds kind, DateOnly date, DateOnly? admission) =>
        kind == EventKinds.Hospitalization && admission is { } day && day <= date ? day : date;

    /// <summary>The days held: a stay's nights, admission to the day before discharge; one day otherwise.</summary>
    public DateRange Days => new(Start, End > Start ? End.AddDays(-1) : Start);

    public bool Overlaps(EventSpan other) => MemberId == other.MemberId && Kind == other.Kind && Days.Overlaps(other.Days);

    /// <summary>Where a person sees it: 住院 2024-08-15 至 2024-08-20, or 2024-08-20 for one day.</summary>
    public override string ToString() => Start == End ? $"{End:yyyy-MM-dd}" : $"{Start:yyyy-MM-dd} 至 {End:yyyy-MM-dd}";
}

/// <summary>A claim that may be the same event as another: its number, where it came from, its state and days.</summary>
public sealed record PossibleDuplicate(long Id, string Number, ClaimSource Source, ClaimState State, EventSpan Span, long? MatchedToId)
{
    public string Describe() =>
        $"{Number}（{(Source == ClaimSource.Automatic ? "医保结算" : "人工受理")}，{Names.Of(State)}，{Span}）";
}

/// <summary>
/// Finds the claims that may be the same event as another (<see cref="EventSpan.Overlaps"/>), the
/// one rule every door uses: online intake refuses them, the service desk takes them flagged, the
/// settlement feed matches them, review shows them. Claims rejected or reversed are no event any
/// more. Two settlements of the centre are two settlements (its setl_id is the key, a refund is
/// 红冲): only pairs where one side was taken by hand are possible duplicates.
/// </summary>
public static class SameEvent
{
    private static readonly ClaimState[] NotEvents = [ClaimState.Rejected, ClaimState.Reversed];

    /// <summary>
    /// The live claims of these members of these kinds, as candidates for <see cref="EventSpan.Overlaps"/>:
    /// one query however many members, so the settlement feed asks once per batch.
    /// </summary>
    public static async Task<List<PossibleDuplicate>> LiveClaimsAsync(MutualAidDbContext db, IReadOnlyCollection<long> memberIds,
        bool manualOnly, CancellationToken cancellationToken)
    {
        var ids = memberIds.Distinct().ToArray();
        var rows = await db.Claims.AsNoTracking()
            .Where(c => ids.Contains(c.MemberId) && !NotEvents.Contains(c.State) && (!manualOnly || c.Source == ClaimSource.Manual))
            .Select(c => new { c.Id, c.EventDate, c.Source, c.State, c.MemberId, c.Kind, c.StartDate, c.MatchedToId })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(c => new PossibleDuplicate(c.Id, Claim.NumberOf(c.EventDate, c.Id), c.Source, c.State,
            new EventSpan(c.MemberId, c.Kind, c.StartDate, c.EventDate), c.MatchedToId))];
    }

    /// <summary>The same for the claims of a closed year moved to the archive (mutualaid archive): a late claim of their event is still the same event.</summary>
    public static async Task<List<PossibleDuplicate>> ArchivedClaimsAsync(MutualAidDbContext db, IReadOnlyCollection<long> memberIds,
        bool manualOnly, CancellationToken cancellationToken)
    {
        await using var archive = db.ArchivedOnly();
        return await LiveClaimsAsync(archive, memberIds, manualOnly, cancellationToken);
    }

    /// <summary>The claims, live or archived, that may be the same event as <paramref name="span"/>, oldest first.</summary>
    public static async Task<List<PossibleDuplicate>> OfAsync(MutualAidDbContext db, EventSpan span, CancellationToken cancellationToken) =>
        [.. (await LiveClaimsAsync(db, [span.MemberId], manualOnly: false, cancellationToken))
            .Concat(await ArchivedClaimsAsync(db, [span.MemberId], manualOnly: false, cancellationToken))
            .Where(c => c.Span.Overlaps(span)).OrderBy(c => c.Id)];

    /// <summary>
    /// For each of <paramref name="claims"/> (a claim page, the review queue), the other live claims
    /// that may be the same event, oldest first; a claim without any is not in the answer.
    /// </summary>
    public static async Task<Dictionary<long, List<PossibleDuplicate>>> AmongAsync(MutualAidDbContext db, IReadOnlyCollection<Claim> claims,
        CancellationToken cancellationToken)
    {
        var live = await LiveClaimsAsync(db, [.. claims.Select(c => c.MemberId)], manualOnly: false, cancellationToken);
        var found = new Dictionary<long, List<PossibleDuplicate>>();
        foreach (var claim in claims)
        {
            var others = live.Where(o => o.Id != claim.Id && o.Span.Overlaps(claim.Span)
                && (o.Source == ClaimSource.Manual || claim.Source == ClaimSource.Manual)).OrderBy(o => o.Id).ToList();
            if (others.Count > 0)
                found[claim.Id] = others;
        }
        return found;
    }
}
