using Microsoft.AspNetCore.Identity;

namespace MutualAid.Access;

/// <summary>The roles of the system, with the name people read.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Clerk = "Clerk";
    public const string Reviewer = "Reviewer";
    public const string Finance = "Finance";
    public const string UnitOfficer = "UnitOfficer";
    public const string Member = "Member";

    /// <summary>An association's or a province's office (办事处): sees its regions' roll-up, and nothing of any region's records.</summary>
    public const string Office = "Office";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Admin] = "系统管理员",
        [Clerk] = "经办",
        [Reviewer] = "复核",
        [Finance] = "财务",
        [UnitOfficer] = "单位经办",
        [Member] = "会员",
        [Office] = "办事处",
    };

    /// <summary>Staff see members' full ID numbers only where the work needs them; everyone else sees them masked.</summary>
    public static readonly IReadOnlySet<string> SeeFullIdNumbers = new HashSet<string> { Clerk, Reviewer, Finance };

    /// <summary>A claim's documents (medical records: sensitive under PIPL) are opened by the staff who take and check claims, and by the member.</summary>
    public static readonly IReadOnlySet<string> OpenClaimDocuments = new HashSet<string> { Clerk, Reviewer };
}

/// <summary>
/// A person who signs in (ASP.NET Core Identity: hashed password, lockout), with the node of the
/// organisation they work in: the whole city (an administrator, or staff of the city centre), a
/// district, a unit (a unit officer) or themselves (a member). Every query they make is scoped to it.
/// </summary>
public sealed class User : IdentityUser<long>
{
    public string DisplayName { get; set; } = "";

    /// <summary>A district's staff see that district only; null with no unit and no member: the whole city.</summary>
    public long? DistrictId { get; set; }

    public long? UnitId { get; set; }

    public long? MemberId { get; set; }
}
