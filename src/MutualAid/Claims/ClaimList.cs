using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
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

    public static IQueryable<ClaimRow> Query(MutualAidDbContext db, UserScope scope, ClaimFilter filter, DateTime now)
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
        var rows =
            from c in claims
            join m in db.Members on c.MemberId equals m.Id
            from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
            from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
            select new { c, m, u, d };
        if (!string.IsNullOrWhiteSpace(filter.Unit))
            rows = rows.Where(x => x.u != null && x.u.Code == filter.Unit);
        if (!string.IsNullOrWhiteSpace(filter.District))
            rows = rows.Where(x => x.d != null && x.d.Code == filter.District);
        if (filter.Search?.Trim() is { Length: > 0 } q)
        {
            var id = Claim.IdOf(q.ToUpperInvariant());
            var upper = q.ToUpperInvariant();
            rows = id > 0 ? rows.Where(x => x.c.Id == id)
                : rows.Where(x => x.m.Name.Contains(q) || x.m.IdNumber.Contains(upper) || (x.m.Phone != null && x.m.Phone.Contains(q)));
        }
        return rows.Select(x => new ClaimRow
        {
            Id = x.c.Id, EventDate = x.c.EventDate, MemberId = x.m.Id, MemberName = x.m.Name, IdNumber = x.m.IdNumber, Phone = x.m.Phone,
            Source = x.c.Source, Kind = x.c.Kind, State = x.c.State, Total = x.c.Total, CreatedAt = x.c.CreatedAt, DueBy = x.c.DueBy,
            Unit = x.u == null ? null : x.u.Name, District = x.d == null ? null : x.d.Name,
        });
    }
}
