using System.CommandLine;
using MutualAid.Data;
using MutualAid.Organisation;

namespace MutualAid.Cli;

/// <summary><c>mutualaid db migrate</c>: creates or updates the database schema.</summary>
internal static class DbCommands
{
    public static Command Create()
    {
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var migrate = new Command("migrate", "创建或升级数据库结构") { db, json };
        migrate.SetAction(async (parse, cancellationToken) =>
        {
            var database = Database.Resolve(parse.GetValue(db));
            // Without --region: the default region, and every region of the directory besides (RegionDirectory).
            IReadOnlyList<string> regions = [];
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RegionDirectory.EnvironmentVariable)))
                regions = await new RegionDirectory(database).MigrateAllAsync(cancellationToken);
            else
                await database.MigrateAsync(cancellationToken);
            if (parse.GetValue(json))
                Shared.WriteJson(new { provider = database.Provider.ToString(), database = database.Display, migrated = true, schemas = regions });
            else
                Console.WriteLine($"数据库已是最新结构：{database.Display}（{database.Provider}）" + (regions.Count > 0 ? $"，另有 {regions.Count} 个模式：{string.Join("、", regions)}" : ""));
            return ExitCodes.Ok;
        });
        return new Command("db", "数据库") { migrate };
    }
}
