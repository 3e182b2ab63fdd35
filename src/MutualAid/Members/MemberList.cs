using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
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

    public static IQueryable<MemberRow> Query(MutualAidDbContext db, UserScope scope, MemberFilter filter, DateOnly today)
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
        var rows =
            from m in members
            from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
            from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
            select new { m, u, d };
        if (!string.IsNullOrWhiteSpace(filter.Unit))
            rows = rows.Where(x => x.u != null && x.u.Code == filter.Unit);
        if (!string.IsNullOrWhiteSpace(filter.District))
            rows = rows.Where(x => x.d != null && x.d.Code == filter.District);
        return rows.Select(x => new MemberRow
        {
            Id = x.m.Id, Name = x.m.Name, IdNumber = x.m.IdNumber, Phone = x.m.Phone, Type = x.m.Type,
            Unit = x.u == null ? null : x.u.Name, District = x.d == null ? null : x.d.Name,
        });
    }
}
