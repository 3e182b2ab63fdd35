using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;
using MutualAid.Demo;

namespace MutualAid.Web;

/// <summary>
/// Before the first request: the database migrated and, when it is empty and the demo is wanted
/// (by default on the embedded SQLite file), the demo city with its demo accounts.
/// </summary>
internal static class Startup
{
    /// <summary>Every demo account's password; the README lists the accounts.</summary>
    public const string DemoPassword = "Demo2026";

    private static readonly Action<ILogger, Exception?> BuildingDemo =
        LoggerMessage.Define(LogLevel.Information, new EventId(1, "Demo"), "首次启动：正在建立演示城市（约半分钟）");

    public static async Task PrepareAsync(IServiceProvider services, ILogger logger)
    {
        var database = services.GetRequiredService<Database>();
        await database.MigrateAsync();
        var configuration = services.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue("MUTUALAID_DEMO", database.Provider == DatabaseProvider.Sqlite))
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MutualAidDbContext>();
        if (!await db.Schemes.AnyAsync())
        {
            BuildingDemo(logger, null);
            await new DemoCity(database, services.GetRequiredService<TimeProvider>()).RunAsync(default);
        }
        // The demo accounts need the demo city (its districts, units and a paid claim); a database
        // filled some other way gets none.
        if (await db.Claims.AnyAsync(c => c.State == Claims.ClaimState.Paid) && await db.Units.AnyAsync(u => db.Members.Any(m => m.UnitId == u.Id)))
            await DemoAccountsAsync(scope.ServiceProvider, db);
    }

    private static async Task DemoAccountsAsync(IServiceProvider services, MutualAidDbContext db)
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole<long>>>();
        foreach (var role in Roles.Names.Keys)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole<long>(role));
        }
        var district = await db.Districts.OrderBy(d => d.Code).FirstAsync();
        var unit = await db.Units.Where(u => db.Members.Any(m => m.UnitId == u.Id)).OrderBy(u => u.Id).FirstAsync();
        // A member the fund has paid who is covered today, so they can also claim online.
        var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var paid = db.Claims.Where(c => c.State == Claims.ClaimState.Paid).Select(c => c.MemberId);
        var member = await db.Enrollments.Where(e => paid.Contains(e.MemberId) && e.Status == Enrollment.EnrollmentStatus.Active && e.Start <= today && e.End >= today)
            .OrderBy(e => e.MemberId).Select(e => (long?)e.MemberId).FirstOrDefaultAsync()
            ?? await paid.OrderBy(m => m).FirstAsync();
        (string Name, string Display, string Role, Action<User> Scope)[] accounts =
        [
            ("admin", "系统管理员", Roles.Admin, _ => { }),
            ("clerk", $"{district.Name}经办员", Roles.Clerk, u => u.DistrictId = district.Id),
            ("reviewer", "复核员李强", Roles.Reviewer, _ => { }),
            ("finance", "财务张敏", Roles.Finance, _ => { }),
            ("finance2", "财务主管赵磊", Roles.Finance, _ => { }),
            ("unit", "单位工会经办", Roles.UnitOfficer, u => u.UnitId = unit.Id),
            ("member", await db.Members.Where(m => m.Id == member).Select(m => m.Name).SingleAsync(), Roles.Member, u => u.MemberId = member),
        ];
        var users = services.GetRequiredService<UserManager<User>>();
        foreach (var (name, display, role, scope) in accounts)
        {
            if (await users.FindByNameAsync(name) is not null)
                continue;
            var user = new User { UserName = name, DisplayName = display };
            scope(user);
            Check(await users.CreateAsync(user, DemoPassword));
            Check(await users.AddToRoleAsync(user, role));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
