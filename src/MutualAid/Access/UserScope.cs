using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Data;
using MutualAid.Members;

namespace MutualAid.Access;

/// <summary>
/// What a signed-in user may see: a member themselves, a unit officer their unit's members, a
/// district's staff the members of that district's units, city staff everyone. Every query of
/// the web app starts from here, so a page or an API call outside the scope finds nothing.
/// </summary>
public sealed record UserScope(long UserId, string UserName, string DisplayName, IReadOnlySet<string> Roles, long? DistrictId, long? UnitId, long? MemberId)
{
    public bool IsStaff => Roles.Overlaps([Access.Roles.Admin, Access.Roles.Clerk, Access.Roles.Reviewer, Access.Roles.Finance]);

    /// <summary>Full ID numbers only for the roles whose work needs them, and for a member's own.</summary>
    public bool SeesFullIdNumbers => Roles.Overlaps(Access.Roles.SeeFullIdNumbers) || MemberId is not null;

    public IQueryable<Member> Members(MutualAidDbContext db) =>
        MemberId is { } member ? db.Members.Where(m => m.Id == member)
        : UnitId is { } unit ? db.Members.Where(m => m.UnitId == unit)
        // A district's members by their units' ids, so the database looks them up by the members' unit index.
        : DistrictId is { } district ? db.Members.Where(m => db.Units.Where(u => u.DistrictId == district).Select(u => (long?)u.Id).Contains(m.UnitId))
        : db.Members;

    /// <summary>Staff of the whole city: no district, unit or member narrows what they see.</summary>
    public bool IsCityWide => MemberId is null && UnitId is null && DistrictId is null;

    // City-wide staff see every claim and enrolment: no filter through the members table, which would defeat their indexes.
    public IQueryable<Claim> Claims(MutualAidDbContext db) =>
        IsCityWide ? db.Claims : db.Claims.Where(c => Members(db).Select(m => m.Id).Contains(c.MemberId));

    public IQueryable<Enrollment.Enrollment> Enrollments(MutualAidDbContext db) =>
        IsCityWide ? db.Enrollments : db.Enrollments.Where(e => Members(db).Select(m => m.Id).Contains(e.MemberId));

    /// <summary>
    /// The scope of a stored, enabled account, for a door that names its user (the CLI's <c>--by</c>)
    /// rather than signing them in; null when there is no such account or it is disabled.
    /// </summary>
    public static async Task<UserScope?> OfAsync(MutualAidDbContext db, string userName, CancellationToken cancellationToken)
    {
        var normalized = userName.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        return user is null || UserAdmin.IsDisabled(user) ? null : await OfAsync(db, user, cancellationToken);
    }

    /// <summary>The scope of a signed-in account, by its id (its sign-in is checked by its security stamp).</summary>
    public static async Task<UserScope> OfAsync(MutualAidDbContext db, long userId, CancellationToken cancellationToken) =>
        await OfAsync(db, await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken), cancellationToken);

    private static async Task<UserScope> OfAsync(MutualAidDbContext db, User user, CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.Where(ur => ur.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToListAsync(cancellationToken);
        return new UserScope(user.Id, user.UserName ?? "", user.DisplayName, roles.ToHashSet(), user.DistrictId, user.UnitId, user.MemberId);
    }

    public string RoleNames => string.Join("、", Roles.Select(r => Access.Roles.Names.GetValueOrDefault(r, r)));
}
