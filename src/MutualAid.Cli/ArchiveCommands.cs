using System.CommandLine;
using MutualAid.Archive;
using MutualAid.Auditing;
using MutualAid.Benefits;

namespace MutualAid.Cli;

/// <summary><c>mutualaid archive YEAR</c> (归档) and <c>mutualaid archive --list</c>.</summary>
internal static class ArchiveCommands
{
    public static Command Create()
    {
        var year = new Argument<int?>("YEAR") { Description = "归档的年度（按事件日期）", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "列出已归档的年度" };
        var by = new Option<string?>("--by") { Description = "归档人（记入操作日志）；归档时必填" };
        var batch = new Option<int>("--batch") { Description = "每批归档的理赔件数（每批一个事务）", DefaultValueFactory = _ => YearArchive.BatchSize };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("archive",
            "归档：把已结账、理赔全部办结、参保期均已结束的年度的理赔及其明细、流转、材料、追回和通知移入归档表；会员页、理赔页、重算和年度报表仍可查阅，列表和待办不再列出。"
            + "可重复运行：中断后再运行补齐余下的")
        { year, list, by, batch, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var archive = new YearArchive(context, TimeProvider.System);
            if (parse.GetValue(list))
            {
                var years = await archive.ListAsync(ct);
                Shared.Say(parse.GetValue(json), years, years.Count == 0 ? "尚无归档的年度"
                    : string.Join(Environment.NewLine, years.Select(y => $"{y.Year} 年\t已归档理赔 {y.Archived} 件\t未归档 {y.Live} 件")));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(year) is not { } which)
                throw new InvalidInputException("YEAR", "请给出归档的年度，或用 --list 查看已归档的年度");
            if (string.IsNullOrWhiteSpace(parse.GetValue(by)))
                throw new InvalidInputException("--by", "归档须写明归档人");
            if (parse.GetValue(batch) < 1)
                throw new InvalidInputException("--batch", "每批件数须为正整数");
            var outcome = await archive.RunAsync(which, Actor.Cli(parse.GetValue(by)!), ct, parse.GetValue(batch));
            Shared.Say(parse.GetValue(json), outcome, outcome.Text);
            return outcome.Left > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
