using System.CommandLine;
using MutualAid.Claims;

namespace MutualAid.Cli;

/// <summary><c>mutualaid claims list | show</c>.</summary>
internal static class ClaimCommands
{
    public static Command Create() => new("claims", "理赔") { List(), Show() };

    private static Command List()
    {
        var state = new Option<ClaimState?>("--state") { Description = "只列某状态：PendingReview、NothingPayable、Reversed…" };
        var take = new Option<int>("--take") { Description = "最多列出几件（最新的在前）", DefaultValueFactory = _ => 50 };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "列出理赔") { state, take, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var claims = await new ClaimQueries(context).ListAsync(parse.GetValue(state), parse.GetValue(take), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(claims);
            else
                foreach (var c in claims)
                    Console.WriteLine($"{c.Number}\t{c.Member}（{c.IdNumber}）\t{c.EventDate:yyyy-MM-dd}\t{c.State}\t{c.Total:#,##0.00} 元\t{c.SetlId}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var number = new Argument<string>("NUMBER") { Description = "理赔编号，如 C2026000123" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("show", "显示一件理赔及每笔给付的计算过程") { number, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var view = await new ClaimQueries(context).ShowAsync(parse.GetValue(number)!, ct);
            if (view is null)
            {
                await Console.Error.WriteLineAsync($"没有编号为 {parse.GetValue(number)} 的理赔");
                return ExitCodes.Failed;
            }
            if (parse.GetValue(json))
            {
                Shared.WriteJson(view);
                return ExitCodes.Ok;
            }
            var c = view.Claim;
            Console.WriteLine($"{c.Number}  {c.Member}（{c.IdNumber}）  {c.EventDate:yyyy-MM-dd}  {c.State}  合计 {c.Total:#,##0.00} 元  结算 {c.SetlId}");
            foreach (var line in view.Lines)
                Console.WriteLine($"  {line.Plan}{(line.Benefit is null ? "" : " · " + line.Benefit)}：{line.Explanation}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
