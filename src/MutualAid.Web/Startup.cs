using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Common;
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

    /// <summary>The demo is wanted when <c>MUTUALAID_DEMO</c> says so, and by default on the embedded SQLite file.</summary>
    public static bool DemoWanted(IConfiguration configuration, Database database) =>
        configuration.GetValue("MUTUALAID_DEMO", database.Provider == DatabaseProvider.Sqlite);

    public static async Task PrepareAsync(IServiceProvider services, ILogger logger)
    {
        var database = services.GetRequiredService<Database>();
        var configuration = services.GetRequiredService<IConfiguration>();
        // Database:MigrateAtStart, by default on the embedded SQLite file only: several web instances on
        // one PostgreSQL do not change the schema; `mutualaid db migrate` does, as its own step.
        if (configuration.GetValue("Database:MigrateAtStart", database.Provider == DatabaseProvider.Sqlite || DemoWanted(configuration, database)))
            await database.MigrateAsync();
        else if (await database.PendingMigrationsAsync() is { Count: > 0 } pending)
            throw new InvalidOperationException($"数据库 {database.Display} 的结构不是最新（尚缺 {pending.Count} 个迁移，最后一个 {pending[^1]}）：请先运行 mutualaid db migrate，再启动网站");
        if (!DemoWanted(configuration, database))
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
        var district = await db.Districts.OrderBy(d => d.Code).FirstAsync();
        var unit = await db.Units.Where(u => db.Members.Any(m => m.UnitId == u.Id)).OrderBy(u => u.Id).FirstAsync();
        // A member the fund has paid who is covered today, so they can also claim online.
        var today = services.GetRequiredService<TimeProvider>().Today();
        var paid = db.Claims.Where(c => c.State == Claims.ClaimState.Paid).Select(c => c.MemberId);
        var memberId = await db.Enrollments.Where(e => paid.Contains(e.MemberId) && e.Status == Enrollment.EnrollmentStatus.Active && e.Start <= today && e.End >= today)
            .OrderBy(e => e.MemberId).Select(e => (long?)e.MemberId).FirstOrDefaultAsync()
            ?? await paid.OrderBy(m => m).FirstAsync();
        var member = await db.Members.SingleAsync(m => m.Id == memberId);
        UserInput[] accounts =
        [
            new("admin", "系统管理员", Roles.Admin, null, null, null),
            new("clerk", "经办员王芳", Roles.Clerk, district.Code, null, null),
            new("reviewer", "复核员李强", Roles.Reviewer, null, null, null),
            new("finance", "财务张敏", Roles.Finance, null, null, null),
            new("finance2", "财务主管赵磊", Roles.Finance, null, null, null),
            new("unit", "单位工会经办", Roles.UnitOfficer, null, unit.Code, null),
            new("member", member.Name, Roles.Member, null, null, member.IdNumber),
        ];
        var admin = services.GetRequiredService<UserAdmin>();
        foreach (var account in accounts.Where(a => !db.Users.Any(u => u.UserName == a.UserName)))
            await admin.AddAsync(account, DemoPassword, default);
    }
}
