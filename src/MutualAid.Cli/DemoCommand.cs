using System.CommandLine;
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
            DemoSummary summary;
            try
            {
                summary = await new DemoCity(database, TimeProvider.System).RunAsync(cancellationToken);
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
}
