using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>What a clerk narrows the members to: part of a name, ID number or mobile number; a type, a district, a unit, a plan held today.</summary>
public sealed record MemberFilter(string? Search = null, MemberType? Type = null, string? District = null, string? Unit = null, string? Plan = null);

/// <summary>A member as lists show it (properties, not a constructor, so the database can order by any of them).</summary>
public sealed record MemberRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string? Phone { get; init; }
    public MemberType Type { get; init; }
    public string? Unit { get; init; }
    public string? District { get; init; }
}

/// <summary>The members list, for the page and its Excel export: scope, filter, order and paging in the database.</summary>
public static class MemberList
{
    public static readonly Sorting<MemberRow> Sorting = new("id", false,
        ("id", r => r.Id), ("name", r => r.Name), ("type", r => r.Type), ("unit", r => r.Unit), ("district", r => r.District));

    /// <summary>The members of the user's scope that pass the filter: the list's count and its rows alike.</summary>
    public static IQueryable<Member> Filter(MutualAidDbContext db, UserScope scope, MemberFilter filter, DateOnly today)
    {
        var members = scope.Members(db);
        if (filter.Type is { } type)
            members = members.Where(m => m.Type == type);
        if (!string.IsNullOrWhiteSpace(filter.Plan))
            members = members.Where(m => db.Enrollments.Any(e => e.MemberId == m.Id && e.PlanCode == filter.Plan
                && e.Status == Enrollment.EnrollmentStatus.Active && e.Start <= today && e.End >= today));
        if (filter.Search?.Trim() is { Length: > 0 } q)
        {
            var upper = q.ToUpperInvariant();
            members = q.Length == 18 ? members.Where(m => m.IdNumber == upper)
                : members.Where(m => m.Name.Contains(q) || m.IdNumber.Contains(upper) || (m.Phone != null && m.Phone.Contains(q)));
        }
        if (!string.IsNullOrWhiteSpace(filter.Unit))
        {
            var units = db.Units.Where(u => u.Code == filter.Unit).Select(u => (long?)u.Id);
            members = members.Where(m => units.Contains(m.UnitId));
        }
        if (!string.IsNullOrWhiteSpace(filter.District))
        {
            var units = db.Units.Where(u => db.Districts.Any(d => d.Id == u.DistrictId && d.Code == filter.District)).Select(u => (long?)u.Id);
            members = members.Where(m => units.Contains(m.UnitId));
        }
        return members;
    }

    public static IQueryable<MemberRow> Query(MutualAidDbContext db, UserScope scope, MemberFilter filter, DateOnly today) =>
        from m in Filter(db, scope, filter, today)
        from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
        from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
        select new MemberRow
        {
            Id = m.Id, Name = m.Name, IdNumber = m.IdNumber, Phone = m.Phone, Type = m.Type,
            Unit = u == null ? null : u.Name, District = d == null ? null : d.Name,
        };

    /// <summary>A page of the list, counted on the members alone.</summary>
    public static async Task<PageOf<MemberRow>> PageAsync(MutualAidDbContext db, UserScope scope, MemberFilter filter, PageRequest request, DateOnly today, CancellationToken cancellationToken) =>
        await Sorting.PageAsync(Query(db, scope, filter, today), request, cancellationToken, await Filter(db, scope, filter, today).CountAsync(cancellationToken));
}
