using System.CommandLine;
using System.Globalization;
using MutualAid.Importing;

namespace MutualAid.Cli;

/// <summary><c>mutualaid import roster FILE</c> and <c>mutualaid template KIND -o FILE</c>.</summary>
internal static class ImportCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "花名册（.xlsx、.xls 或 .csv）" };
        var unit = new Option<string?>("--unit") { Description = "单位统一社会信用代码（表中无单位列时）" };
        var scheme = new Option<string?>("--scheme") { Description = "方案代码（库中只有一个方案时可省）" };
        var plans = new Option<string?>("--plans") { Description = "同时参保的计划代码，逗号分隔，如 INPATIENT,FEMALE" };
        var start = new Option<string?>("--start") { Description = "参保开始日期 YYYY-MM-DD，期间一年" };
        var from = new Option<string?>("--from") { Description = "新进职工：自该日加入单位进行中的参保期间 YYYY-MM-DD（至本期结束，保费按方案折算）" };
        var gifted = new Option<bool>("--gifted") { Description = "工会赠送（保费由工会承担）" };
        var skip = new Option<bool>("--skip-invalid") { Description = "跳过有问题的行，导入其余各行" };
        var split = Shared.SplitOption();
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var roster = new Command("roster", "导入花名册（并参保）或参保名单（每行有计划代码和开始日期）") { file, unit, scheme, plans, start, from, gifted, split, skip, db, json };
        roster.Aliases.Add("enrollments");
        roster.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            DateOnly? startDate = null;
            if (parse.GetValue(start) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    await Console.Error.WriteLineAsync($"--start：“{text}”不是 YYYY-MM-DD 格式的日期");
                    return ExitCodes.Invalid;
                }
                startDate = day;
            }
            if (parse.GetValue(from) is not null && startDate is not null)
                throw new Benefits.InvalidInputException([new Benefits.Problem("--from", "--from（加入进行中的期间）与 --start（开始新的期间）只能给一个")]);
            DateOnly? fromDate = parse.GetValue(from) is { } fromText ? Shared.Date(fromText, "--from") : null;
            var options = new RosterOptions(parse.GetValue(unit), parse.GetValue(scheme),
                parse.GetValue(plans)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), startDate,
                parse.GetValue(gifted), parse.GetValue(skip), parse.GetValue(split) is { } text2 ? MutualAid.Enrollment.FundingSplit.Parse(text2) : null, fromDate);
            var report = await new ImportRoster(context, TimeProvider.System).HandleAsync(parse.GetValue(file)!.FullName, options, Shared.OperatingSystemUser, ct);
            Print(report, parse.GetValue(json));
            return report.Problems.Count == 0 || report.Written ? ExitCodes.Ok : ExitCodes.Invalid;
        }, cancellationToken));
        return new Command("import", "导入文件") { roster, Settlements() };
    }

    /// <summary><c>import settlements FILE</c>: exit 0 when every row was good, 2 when some were rejected (the good ones are imported).</summary>
    private static Command Settlements()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "医保结算数据（.csv、.xlsx 或 .xls）" };
        var db = Shared.DbOption();
        var json = Shared.JsonOption();
        var command = new Command("settlements", "导入医保结算数据（无感办理的来源）") { file, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var (report, claims) = await new MutualAid.Settlements.SettlementFeed(context, TimeProvider.System).HandleAsync(parse.GetValue(file)!.FullName, ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(new { report, claims });
            }
            else
            {
                foreach (var problem in report.Rejected)
                    await Console.Error.WriteLineAsync($"{report.File}: 未导入 {problem}");
                foreach (var problem in report.Skipped)
                    await Console.Error.WriteLineAsync($"{report.File}: 跳过 {problem}");
                foreach (var warning in report.Warnings)
                    await Console.Error.WriteLineAsync($"{report.File}: 提示 {warning}");
                Console.WriteLine($"{report.File}：{report.Rows} 行；导入 {report.Imported}（其中冲销 {report.Refunds}），已有 {report.Duplicates}，未导入 {report.Rejected.Count}，跳过 {report.Skipped.Count}");
                Console.WriteLine($"自动理赔 {claims.Claims} 件：待复核 {claims.Payable} 件，按规则审批 {claims.ApprovedByRule} 件，合计 {claims.Total:#,##0.00} 元；无应付 {claims.NothingPayable} 件");
            }
            return report.Rejected.Count == 0 ? ExitCodes.Ok : ExitCodes.Invalid;
        }, cancellationToken));
        return command;
    }

    public static Command Template()
    {
        var kind = new Argument<string>("KIND") { Description = $"模板：{string.Join("、", Templates.All.Keys)}" };
        var output = new Option<FileInfo>("-o", "--output") { Description = "输出文件（.xlsx 或 .csv）", Required = true };
        var json = Shared.JsonOption();
        var command = new Command("template", "生成导入模板（Excel）") { kind, output, json };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(kind)!;
            if (!Templates.All.ContainsKey(name))
            {
                Console.Error.WriteLine($"没有名为 {name} 的模板，可选：{string.Join("、", Templates.All.Keys)}");
                return ExitCodes.Invalid;
            }
            Templates.Write(name, parse.GetValue(output)!.FullName);
            if (parse.GetValue(json))
                Shared.WriteJson(new { template = name, file = parse.GetValue(output)!.FullName });
            else
                Console.WriteLine($"已生成 {parse.GetValue(output)!.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(ImportReport report, bool json)
    {
        if (json)
        {
            Shared.WriteJson(report);
            return;
        }
        foreach (var problem in report.Problems)
            Console.Error.WriteLine($"{report.File}: {problem}");
        foreach (var warning in report.Warnings)
            Console.Error.WriteLine($"{report.File}: 提示 {warning}");
        foreach (var joined in report.Joined)
            Console.WriteLine($"第 {joined.Line} 行 {joined.Name} {joined.PlanName}：{joined.Start:yyyy-MM-dd} 至 {joined.End:yyyy-MM-dd}，保费 {joined.Premium.ToDisplayString()} 元（{joined.PriceRule}）" + (joined.AlreadyEnrolled ? "，此前已参保" : "，缴费后生效"));
        Console.WriteLine(report.Written
            ? $"{report.File}：{report.Rows} 行；新增会员 {report.MembersAdded}，更新 {report.MembersUpdated}，未变 {report.MembersUnchanged}；新参保 {report.Enrolled}，已有 {report.EnrollmentsUnchanged}" +
              (report.RowsSkipped > 0 ? $"；跳过有问题的 {report.RowsSkipped} 行" : "")
            : $"{report.File}：{report.Rows} 行中 {report.RowsSkipped} 行有问题，未导入任何数据（可用 --skip-invalid 导入其余各行）");
    }
}
