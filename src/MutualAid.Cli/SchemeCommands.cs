using System.CommandLine;
using MutualAid.Schemes;

namespace MutualAid.Cli;

/// <summary><c>mutualaid scheme …</c>: the scheme files.</summary>
internal static class SchemeCommands
{
    public static Command Create() => new("scheme", "互助保障方案") { Check(), Load(), List(), Show() };

    /// <summary><c>scheme load FILE</c>: stores the scheme and every version; the same file twice changes nothing.</summary>
    private static Command Load()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "方案文件（JSON）" };
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command("load", "载入方案及其全部版本") { file, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            if (Input.ReadText(parse.GetValue(file)!) is not { } text)
                return ExitCodes.Invalid;
            var result = await new LoadScheme(context, TimeProvider.System).HandleAsync(text, ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(result);
                return ExitCodes.Ok;
            }
            Console.WriteLine(result.Unchanged ? $"{result.Code} {result.Name}：未变化" : $"{result.Code} {result.Name}：已载入");
            foreach (var (label, items) in new[] { ("新增版本", result.Added), ("修改版本", result.Changed), ("删除版本", result.Removed) })
            {
                if (items.Count > 0)
                    Console.WriteLine($"  {label}：{string.Join("、", items)}");
            }
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command("list", "列出已载入的方案") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var schemes = await new SchemeQueries(context).ListAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(schemes);
            else if (schemes.Count == 0)
                Console.WriteLine("尚未载入方案：mutualaid scheme load FILE");
            foreach (var s in parse.GetValue(json) ? [] : schemes)
                Console.WriteLine($"{s.Code}\t{s.Name}\t{s.Plans} 个计划，{s.Versions} 个版本\t载入于 {s.LoadedAt:yyyy-MM-dd HH:mm} UTC");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var code = new Argument<string>("CODE") { Description = "方案代码" };
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command("show", "显示方案的计划、版本及参保使用情况") { code, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var scheme = await new SchemeQueries(context).ShowAsync(parse.GetValue(code)!, ct);
            if (scheme is null)
            {
                await Console.Error.WriteLineAsync($"没有代码为 {parse.GetValue(code)} 的方案");
                return ExitCodes.Failed;
            }
            if (parse.GetValue(json))
            {
                Shared.WriteJson(scheme);
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{scheme.Code} {scheme.Name}");
            foreach (var v in scheme.Versions)
                Console.WriteLine($"  {v.Plan} {v.PlanName}  {v.EffectiveFrom:yyyy-MM-dd} 起  {v.Prices}  待遇 {string.Join("、", v.Benefits)}  参保 {v.Enrollments} 条");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>scheme check FILE</c>: every problem of a scheme file, or a summary of its plans.</summary>
    private static Command Check()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "方案文件（JSON）" };
        var json = Shared.JsonOption();
        var command = new Command("check", "检查方案文件，列出全部问题") { file, json };
        command.SetAction(parse =>
        {
            if (Input.ReadScheme(parse.GetValue(file)!, showWarnings: true) is not { } scheme)
                return ExitCodes.Invalid;
            if (parse.GetValue(json))
            {
                Shared.WriteJson(new
                {
                    scheme.Code,
                    scheme.Name,
                    Plans = scheme.Plans.Select(p => new { p.Code, p.Name, p.Cover, Versions = p.Versions.Select(v => new { v.EffectiveFrom, Premium = v.Premium.Yuan, v.PeriodYears, Prices = v.PriceText, Benefits = v.Benefits.Select(b => b.Code) }) }),
                });
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{scheme.Code} {scheme.Name}：{scheme.Plans.Count} 个计划");
            foreach (var plan in scheme.Plans)
            {
                var versions = string.Join("、", plan.Versions.Select(v => $"{v.EffectiveFrom:yyyy-MM-dd} 起 {v.Benefits.Count} 项待遇，{v.PriceText}"));
                var cover = plan.Cover is { } c ? $"（{Benefits.CoverRule.Why}：{c.MinAge}–{c.MaxAge} 周岁{(c.InUnit ? "，在会员单位" : "")}）" : "";
                Console.WriteLine($"  {plan.Code} {plan.Name}{cover}：{versions}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
