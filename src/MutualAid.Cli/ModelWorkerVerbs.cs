using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.ModelWorkers;

namespace MutualAid.Cli;

/// <summary>
/// <c>member model-worker ID --level … --title … --year … --by CLERK</c>: 劳模登记 through the same
/// handler as the member page; <c>--by</c> names a stored clerk's account, whose scope counts as on the web.
/// </summary>
internal static class ModelWorkerVerbs
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var level = new Option<string>("--level") { Description = "级别：全国、省部级、市级", Required = true };
        var title = new Option<string>("--title") { Description = "称号，如 全国劳动模范", Required = true };
        var year = new Option<int>("--year") { Description = "授予年份", Required = true };
        var by = Shared.By("登记的经办人");
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("model-worker", "登记劳模（级别、称号、授予年份）：可参加劳模医疗补助") { id, level, title, year, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var clerk = parse.GetValue(by)!;
            var scope = await Shared.ScopeAsync(context, clerk, ct);
            var number = parse.GetValue(id)!.Trim().ToUpperInvariant();
            var memberId = await scope.Members(context).Where(m => m.IdNumber == number).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct)
                ?? throw new InvalidInputException("ID", $"“{parse.GetValue(id)}”不是 {scope.UserName} 范围内已登记的会员");
            var done = await new RecordModelWorker(context, TimeProvider.System).HandleAsync(scope, memberId, parse.GetValue(level), parse.GetValue(title), parse.GetValue(year),
                Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { done.MemberId, Level = done.Level.ToString(), LevelName = Names.Of(done.Level), done.Title, done.Year, done.RecordedBy },
                $"已登记为{Names.Of(done.Level)}劳模：{done.Title}（{done.Year} 年）");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
