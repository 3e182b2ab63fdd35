using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;

namespace MutualAid.Demo;

/// <summary>The demo's accounts, one of each role (README lists them), on a city holding the demo.</summary>
public static class DemoAccounts
{
    /// <summary>Every demo account's password.</summary>
    public const string Password = "Demo2026";

    /// <summary>
    /// Adds the accounts not there yet, each login prefixed (a region's demo: <c>610100-clerk</c>, as
    /// logins are unique across regions); the demo city itself has none.
    /// </summary>
    public static async Task AddAsync(UserAdmin admin, MutualAidDbContext db, DateOnly today, string prefix, CancellationToken cancellationToken)
    {
        var district = await db.Districts.OrderBy(d => d.Code).FirstAsync(cancellationToken);
        var unit = await db.Units.Where(u => db.Members.Any(m => m.UnitId == u.Id)).OrderBy(u => u.Id).FirstAsync(cancellationToken);
        // A member the fund has paid who is covered today, so they can also claim online.
        var paid = db.Claims.Where(c => c.State == Claims.ClaimState.Paid).Select(c => c.MemberId);
        var memberId = await db.Enrollments.Where(e => paid.Contains(e.MemberId) && e.Status == Enrollment.EnrollmentStatus.Active && e.Start <= today && e.End >= today)
            .OrderBy(e => e.MemberId).Select(e => (long?)e.MemberId).FirstOrDefaultAsync(cancellationToken)
            ?? await paid.OrderBy(m => m).FirstAsync(cancellationToken);
        var member = await db.Members.SingleAsync(m => m.Id == memberId, cancellationToken);
        UserInput[] accounts =
        [
            new(prefix + "admin", "系统管理员", Roles.Admin, null, null, null),
            new(prefix + "clerk", "经办员王芳", Roles.Clerk, district.Code, null, null),
            new(prefix + "reviewer", "复核员李强", Roles.Reviewer, null, null, null),
            new(prefix + "finance", "财务张敏", Roles.Finance, null, null, null),
            new(prefix + "finance2", "财务主管赵磊", Roles.Finance, null, null, null),
            new(prefix + "unit", "单位工会经办", Roles.UnitOfficer, null, unit.Code, null),
            new(prefix + "member", member.Name, Roles.Member, null, null, member.IdNumber),
        ];
        foreach (var account in accounts.Where(a => !db.Users.Any(u => u.UserName == a.UserName)))
            await admin.AddAsync(account, Password, cancellationToken);
    }
}
