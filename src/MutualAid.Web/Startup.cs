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
    public const string DemoPassword = DemoAccounts.Password;

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
            await DemoAccounts.AddAsync(scope.ServiceProvider.GetRequiredService<UserAdmin>(), db, services.GetRequiredService<TimeProvider>().Today(), "", default);
    }
}
