using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Claims;

/// <summary>
/// What a clerk narrows the claims to. <see cref="Search"/> is a claim number, part of a name, of an
/// ID number or of a mobile number; <see cref="WaitingDays"/> keeps open claims received at least
/// that many days ago; <see cref="Overdue"/> open claims past the scheme's promised days.
/// </summary>
public sealed record ClaimFilter(
    string? Search = null, ClaimState? State = null, ClaimSource? Source = null, string? District = null, string? Unit = null, string? Plan = null,
    DateOnly? From = null, DateOnly? To = null, Money? Min = null, Money? Max = null, int? WaitingDays = null, bool Overdue = false);

/// <summary>A claim as lists show it: with its member, unit and district (properties, so the database can order by any of them).</summary>
public sealed record ClaimRow
{
    public long Id { get; init; }
    public DateOnly EventDate { get; init; }
    public long MemberId { get; init; }
    public string MemberName { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string? Phone { get; init; }
    public ClaimSource Source { get; init; }
    public EventKinds Kind { get; init; }
    public ClaimState State { get; init; }
    public Money Total { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime DueBy { get; init; }
    public string? Unit { get; init; }
    public string? District { get; init; }

    public string Number => Claim.NumberOf(EventDate, Id);

    /// <summary>Whole days since the claim was received (a decided claim's count stops mattering, not the figure).</summary>
    public int DaysWaiting(DateTime now) => Math.Max(0, (int)(now - CreatedAt).TotalDays);
}

/// <summary>
/// The claims list and the review queue, for the page and for its Excel export alike: the user's
/// scope, the filter and the order all run in the database, a page at a time.
/// </summary>
public static class ClaimList
{
    public static readonly Sorting<ClaimRow> Sorting = new("number", true,
        ("number", r => r.Id), ("date", r => r.EventDate), ("member", r => r.MemberName), ("state", r => r.State), ("amount", r => r.Total),
        ("received", r => r.CreatedAt));

    /// <summary>The review queue: oldest first.</summary>
    public static readonly Sorting<ClaimRow> Queue = new("received", false,
        ("number", r => r.Id), ("received", r => r.CreatedAt), ("date", r => r.EventDate), ("member", r => r.MemberName), ("amount", r => r.Total));

    /// <summary>
    /// The claims of the user's scope that pass the filter: the one query behind the list, its
    /// count, its export and the home page's tiles that link to it, so each figure is counted once.
    /// </summary>
    public static IQueryable<Claim> Filter(MutualAidDbContext db, UserScope scope, ClaimFilter filter, DateTime now)
    {
        var claims = scope.Claims(db);
        if (filter.State is { } state)
            claims = claims.Where(c => c.State == state);
        if (filter.Source is { } source)
            claims = claims.Where(c => c.Source == source);
        if (filter.From is { } from)
            claims = claims.Where(c => c.EventDate >= from);
        if (filter.To is { } to)
            claims = claims.Where(c => c.EventDate <= to);
        if (filter.Min is { } min)
            claims = claims.Where(c => c.Total >= min);
        if (filter.Max is { } max)
            claims = claims.Where(c => c.Total <= max);
        if (filter.WaitingDays is { } days)
        {
            var before = now.AddDays(-days);
            claims = claims.Where(c => Claim.Open.Contains(c.State) && c.CreatedAt <= before);
        }
        if (filter.Overdue)
            claims = claims.Where(c => Claim.Open.Contains(c.State) && c.DueBy < now);
        if (!string.IsNullOrWhiteSpace(filter.Plan))
            claims = claims.Where(c => c.Lines.Any(l => l.PlanCode == filter.Plan));
        if (!string.IsNullOrWhiteSpace(filter.Unit))
        {
            var members = db.Members.Where(m => db.Units.Where(u => u.Code == filter.Unit).Select(u => (long?)u.Id).Contains(m.UnitId)).Select(m => m.Id);
            claims = claims.Where(c => members.Contains(c.MemberId));
        }
        if (!string.IsNullOrWhiteSpace(filter.District))
        {
            var units = db.Units.Where(u => db.Districts.Any(d => d.Id == u.DistrictId && d.Code == filter.District)).Select(u => (long?)u.Id);
            var members = db.Members.Where(m => units.Contains(m.UnitId)).Select(m => m.Id);
            claims = claims.Where(c => members.Contains(c.MemberId));
        }
        if (filter.Search?.Trim() is { Length: > 0 } q)
        {
            var upper = q.ToUpperInvariant();
            var id = Claim.IdOf(upper);
            var members = db.Members.Where(m => m.Name.Contains(q) || m.IdNumber.Contains(upper) || (m.Phone != null && m.Phone.Contains(q))).Select(m => m.Id);
            claims = id > 0 ? claims.Where(c => c.Id == id) : claims.Where(c => members.Contains(c.MemberId));
        }
        return claims;
    }

    public static IQueryable<ClaimRow> Query(MutualAidDbContext db, UserScope scope, ClaimFilter filter, DateTime now) =>
        from c in Filter(db, scope, filter, now)
        join m in db.Members on c.MemberId equals m.Id
        from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
        from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
        select new ClaimRow
        {
            Id = c.Id, EventDate = c.EventDate, MemberId = m.Id, MemberName = m.Name, IdNumber = m.IdNumber, Phone = m.Phone,
            Source = c.Source, Kind = c.Kind, State = c.State, Total = c.Total, CreatedAt = c.CreatedAt, DueBy = c.DueBy,
            Unit = u == null ? null : u.Name, District = d == null ? null : d.Name,
        };

    /// <summary>A page of the list, counted on the claims alone (every claim has its member).</summary>
    /// <param name="total">The rows counted by the caller (a count shared between pages), or null to count them now.</param>
    public static async Task<PageOf<ClaimRow>> PageAsync(MutualAidDbContext db, UserScope scope, ClaimFilter filter, Sorting<ClaimRow> sorting, PageRequest request, DateTime now, int? total, CancellationToken cancellationToken) =>
        await sorting.PageAsync(Query(db, scope, filter, now), request, cancellationToken, total ?? await Filter(db, scope, filter, now).CountAsync(cancellationToken));
}
