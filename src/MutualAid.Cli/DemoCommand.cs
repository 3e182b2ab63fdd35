using System.CommandLine;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Demo;

namespace MutualAid.Cli;

/// <summary><c>mutualaid demo</c>: fills a database with the demo city.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command("demo", "建立演示城市：区县、服务网点、各类单位、数千名会员及其参保、缴费、医保结算与理赔") { db, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = Database.Resolve(parse.GetValue(db));
            // In a region (--region): another city's people and units, and its demo accounts named CODE-clerk and so on.
            var region = Environment.GetEnvironmentVariable(Organisation.RegionDirectory.EnvironmentVariable);
            DemoSummary summary;
            try
            {
                summary = string.IsNullOrEmpty(region) ? await new DemoCity(database, TimeProvider.System).RunAsync(cancellationToken)
                    : await RegionDemoAsync(database, region, cancellationToken);
            }
            catch (Benefits.InvalidInputException e)
            {
                foreach (var problem in e.Problems)
                    await Console.Error.WriteLineAsync(problem.ToString());
                return ExitCodes.Invalid;
            }
            if (parse.GetValue(json))
                Shared.WriteJson(summary);
            else if (summary.AlreadyThere)
                Console.WriteLine($"数据库中已有演示城市（{database.Display}），未作改动：{summary.Units} 家单位，{summary.Members} 名会员，{summary.Claims} 件理赔");
            else
                Console.WriteLine($"演示城市已就绪（{database.Display}）：{summary.Districts} 个区县，{summary.Units} 家单位，{summary.Members} 名会员，{summary.Enrollments} 条参保，{summary.Payments} 笔缴费，{summary.Settlements} 条医保结算，{summary.Claims} 件理赔");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<DemoSummary> RegionDemoAsync(Database database, string region, CancellationToken cancellationToken)
    {
        if ((await new Organisation.RegionDirectory(database).ListAsync(cancellationToken)).All(o => o.Code != region || !o.IsRegion))
            throw new Benefits.InvalidInputException("--region", $"没有代码为 {region} 的统筹区（mutualaid region list）");
        var summary = await new DemoCity(database, TimeProvider.System, DemoCity.VariantOf(region)).RunAsync(cancellationToken);
        await using var db = database.CreateContext();
        await DemoAccounts.AddAsync(Access.UserAdmin.For(db), db, TimeProvider.System.Today(), region + "-", cancellationToken);
        return summary;
    }
}
