using System.CommandLine;
using MutualAid.Archive;
using MutualAid.Common;
using MutualAid.Replay;

namespace MutualAid.Cli;

/// <summary><c>mutualaid recompute</c> (重算) and <c>mutualaid whatif</c> (测算): both only read.</summary>
internal static class ReplayCommands
{
    public static Command Recompute()
    {
        var year = new Option<int?>("--year") { Description = "只重算该年度发生的事件（会员此前的理赔仍按顺序重放）" };
        var member = new Option<string?>("--member") { Description = "只重算该会员（身份证号）的理赔" };
        var db = Shared.DbOption();
        var command = new Command("recompute", "重算：按已存的方案、参保和事件重新计算已存理赔，逐条列出差异（只读）；有原因不明的差异时退出码为 1") { year, member, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            // Archived years are replayed too: a member's history is the live claims and the archived ones.
            await using var reading = await context.WithArchiveAsync(ct);
            var summary = await new Recompute(reading).RunAsync(parse.GetValue(year), parse.GetValue(member), difference =>
            {
                Console.WriteLine($"{difference.Number}{(difference.Expected is { } why ? $"（差异有原因可循：{why}）" : "（差异原因不明）")}");
                foreach (var line in difference.Lines)
                {
                    Console.WriteLine($"  {line.Plan}\t{line.Benefit ?? "—"}\t{line.Name}\t已存 {Amount(line.Stored)}\t重算 {Amount(line.Recomputed)}"
                        + (line.StoredReason != line.RecomputedReason ? $"\t原因 {line.StoredReason ?? "—"} → {line.RecomputedReason ?? "—"}" : ""));
                }
            }, ct);
            Console.WriteLine(summary.Text);
            return summary.Differing > summary.Expected ? ExitCodes.Failed : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static Command WhatIf()
    {
        var scheme = new Option<FileInfo>("--scheme") { Description = "方案草案（JSON，格式同 schemes/*.json）", Required = true };
        var year = new Option<int>("--year") { Description = "测算年度：按该年度发生的事件重放", DefaultValueFactory = _ => Shared.Today.Year - 1 };
        var xlsx = new Option<string?>("--xlsx") { Description = "导出为 Excel 文件" };
        var db = Shared.DbOption();
        var command = new Command("whatif", "测算：按方案草案重放一年的理赔，按计划、区县和人群比较给付，并测算以支定收的人均会费（只读）") { scheme, year, xlsx, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            if (Input.ReadText(parse.GetValue(scheme)!) is not { } draft)
                return ExitCodes.Invalid;
            var report = await new WhatIf(context).RunAsync(draft, parse.GetValue(year), ct);
            if (parse.GetValue(xlsx) is { } path)
            {
                await using (var file = File.Create(path))
                    await new WhatIf(context).ExportAsync(report, file, Shared.OperatingSystemUser, TimeProvider.System.Now(), ct);
                Console.WriteLine($"已导出 {path}");
            }
            else
                Print(report);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static string Amount(Money? amount) => amount is { } a ? a.ToDisplayString() : "—";

    private static void Print(WhatIfReport report)
    {
        Console.WriteLine($"测算 {report.Year} 年：以草案“{report.Draft}”代替“{report.Scheme}”，重放理赔 {report.Claims} 件");
        const string head = "人数\t现行给付\t测算给付\t差额\t增加\t减少";
        static string Cells(WhatIfRow r) => $"{r.Members}\t{r.Paid.ToDisplayString()}\t{r.WouldPay.ToDisplayString()}\t{r.Difference.ToDisplayString()}\t{r.Gainers}\t{r.Losers}";
        Console.WriteLine($"\n按计划\n计划\t{head}\t参保人数\t现行会费\t草案会费\t以支定收会费（元/人）\t现行会费收入\t草案会费收入\t现行收支差额\t草案收支差额");
        foreach (var p in report.Plans)
        {
            Console.WriteLine($"{p.Name}\t{p.Members}\t{p.Paid.ToDisplayString()}\t{p.WouldPay.ToDisplayString()}\t{p.Difference.ToDisplayString()}\t{p.Gainers}\t{p.Losers}\t{p.Heads}"
                + $"\t{p.CurrentPremium.ToDisplayString()}\t{p.DraftPremium.ToDisplayString()}\t{Amount(p.BalancingPremium)}"
                + $"\t{p.CurrentIncome.ToDisplayString()}\t{p.DraftIncome.ToDisplayString()}\t{p.CurrentBalance.ToDisplayString()}\t{p.DraftBalance.ToDisplayString()}");
        }
        var income = report.Income;
        Console.WriteLine($"会费收入：现行 {income.CurrentIncome.ToDisplayString()}，草案 {income.DraftIncome.ToDisplayString()}；"
            + $"收支差额：现行 {income.CurrentBalance.ToDisplayString()}，草案 {income.DraftBalance.ToDisplayString()}");
        foreach (var (title, rows) in new[] { ("按区县", report.Districts), ("按人群", report.Groups) })
        {
            Console.WriteLine($"\n{title}\n{title[1..]}\t{head}");
            foreach (var r in rows)
                Console.WriteLine($"{r.Name}\t{Cells(r)}");
        }
        Console.WriteLine($"\n{report.Total.Name}\t{Cells(report.Total)}");
        foreach (var (title, members) in new[] { ("增加最多的会员", report.Gainers), ("减少最多的会员", report.Losers) })
        {
            Console.WriteLine($"\n{title}");
            foreach (var m in members)
                Console.WriteLine($"{m.MaskedId}\t{m.Name}\t{m.District}\t{m.Group}\t现行 {m.Paid.ToDisplayString()}\t测算 {m.WouldPay.ToDisplayString()}\t差额 {m.Difference.ToDisplayString()}");
        }
    }
}
