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
        : DistrictId is { } district ? db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district))
        : db.Members;

    public IQueryable<Claim> Claims(MutualAidDbContext db)
    {
        // City-wide staff see every claim: no filter through the members table, which would defeat the claims' indexes.
        if (MemberId is null && UnitId is null && DistrictId is null)
            return db.Claims;
        var members = Members(db).Select(m => m.Id);
        return db.Claims.Where(c => members.Contains(c.MemberId));
    }

    public string RoleNames => string.Join("、", Roles.Select(r => Access.Roles.Names.GetValueOrDefault(r, r)));
}
