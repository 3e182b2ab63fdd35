using System.CommandLine;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Reports;

namespace MutualAid.Cli;

/// <summary>The council's reports under <c>mutualaid report</c>, each on screen, as JSON or to Excel; and <c>mutualaid budget set</c>.</summary>
internal static class FundReportCommands
{
    public static IEnumerable<Command> Reports() =>
    [
        Year("income", "收支情况：按区县与科目（会费、补助、捐赠收入；各计划互助金支出）",
            (r, year, ct) => r.IncomeExpenditureAsync(year, ct),
            row => $"{row.District}\t{row.Name}\t收入 {row.Income:#,##0.00}\t支出 {row.Expenditure:#,##0.00}",
            ("区县", r => r.District), ("科目", r => r.Account), ("科目名称", r => r.Name), ("收入", r => r.Income), ("支出", r => r.Expenditure)),
        Year("budget", "预决算：各计划预算与实际收支、预算执行率",
            (r, year, ct) => r.BudgetAsync(year, ct),
            row => $"{row.PlanName}\t预算收入 {row.BudgetIncome:#,##0.00}\t实际收入 {row.ActualIncome:#,##0.00}\t预算支出 {row.BudgetExpenditure:#,##0.00}\t实际支出 {row.ActualExpenditure:#,##0.00}\t执行率 {row.ExpenditureRate:P1}",
            ("计划", r => r.PlanName), ("预算收入", r => r.BudgetIncome), ("实际收入", r => r.ActualIncome), ("预算支出", r => r.BudgetExpenditure),
            ("实际支出", r => r.ActualExpenditure), ("支出执行率", r => r.ExpenditureRate)),
        Year("loss-ratio", "赔付率：当年开始的各计划期间所收会费与所付互助金",
            (r, year, ct) => r.LossRatiosAsync(year, ct),
            row => $"{row.PlanName}\t{row.Periods} 人期\t会费 {row.Premiums:#,##0.00}\t给付 {row.Payouts:#,##0.00}\t赔付率 {row.LossRatio:P1}",
            ("计划", r => r.PlanName), ("人期", r => r.Periods), ("会费", r => r.Premiums), ("给付", r => r.Payouts), ("赔付率", r => r.LossRatio)),
        Reserve(),
        Adequacy(),
    ];

    public static Command Budget()
    {
        var year = new Argument<int>("YEAR") { Description = "年度" };
        var plan = new Argument<string>("PLAN") { Description = "计划代码" };
        var income = new Option<string>("--income") { Description = "预算收入（元）", Required = true };
        var expenditure = new Option<string>("--expenditure") { Description = "预算支出（元）", Required = true };
        var db = Shared.DbOption();
        var set = new Command("set", "设定或修改一个计划的年度预算") { year, plan, income, expenditure, db };
        set.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            await new FundReports(context).SetBudgetAsync(parse.GetValue(year), parse.GetValue(plan)!,
                Shared.Amount(parse.GetValue(income), "--income"), Shared.Amount(parse.GetValue(expenditure), "--expenditure"),
                Shared.OperatingSystemUser, TimeProvider.System.Now(), ct);
            Console.WriteLine($"已设定 {parse.GetValue(year)} 年 {parse.GetValue(plan)} 的预算");
            return ExitCodes.Ok;
        }, cancellationToken));
        return new Command("budget", "预算") { set };
    }

    /// <summary>A report of a year: printed, as JSON, or written to an Excel file with <c>--xlsx</c>.</summary>
    private static Command Year<T>(string name, string description, Func<FundReports, int, CancellationToken, Task<IReadOnlyList<T>>> load,
        Func<T, string> line, params (string Header, Func<T, object?> Value)[] columns)
    {
        var year = new Option<int>("--year") { Description = "年度", DefaultValueFactory = _ => Shared.Today.Year };
        var command = new Command(name, description) { year };
        return WithOutput(command, async (reports, parse, ct) => await load(reports, parse.GetValue(year), ct), line, columns);
    }

    private static Command Reserve()
    {
        var on = new Option<string?>("--on") { Description = "截至日期（默认今天）" };
        var command = new Command("reserve", "互助金结余及其与近一年给付之比") { on };
        return WithOutput(command, async (reports, parse, ct) => (IReadOnlyList<ReserveReport>)[await reports.ReserveAsync(Shared.Date(parse.GetValue(on), "--on", Shared.Today), ct)],
            r => $"截至 {r.On:yyyy-MM-dd}：结余 {r.Reserve:#,##0.00} 元，近一年给付 {r.YearPayouts:#,##0.00} 元，结余为给付的 {r.Ratio:P1}",
            ("截至", r => r.On.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("结余", r => r.Reserve), ("近一年给付", r => r.YearPayouts), ("结余/给付", r => r.Ratio));
    }

    private static Command Adequacy()
    {
        var year = new Option<int>("--year") { Description = "最后一年", DefaultValueFactory = _ => Shared.Today.Year };
        var years = new Option<int>("--years") { Description = "看几年", DefaultValueFactory = _ => 3 };
        var margin = new Option<decimal>("--margin") { Description = "目标结余率，如 0.05", DefaultValueFactory = _ => 0.05m };
        var command = new Command("adequacy", "以支定收：各计划按近几年给付与目标结余率测算的每份会费") { year, years, margin };
        return WithOutput(command, async (reports, parse, ct) => await reports.AdequacyAsync(parse.GetValue(year), parse.GetValue(years), parse.GetValue(margin), ct),
            r => $"{r.PlanName}\t{r.Years} 年 {r.UnitYears} 份·年\t给付 {r.Payouts:#,##0.00}\t现行会费 {r.CurrentPremium:#,##0.00}\t测算会费 {r.BalancingPremium:#,##0.00}\t变动 {r.Change:P1}",
            ("计划", r => r.PlanName), ("年数", r => r.Years), ("份·年", r => r.UnitYears), ("给付", r => r.Payouts), ("现行会费", r => r.CurrentPremium),
            ("测算会费", r => r.BalancingPremium), ("变动", r => r.Change));
    }

    private static Command WithOutput<T>(Command command, Func<FundReports, ParseResult, CancellationToken, Task<IReadOnlyList<T>>> load,
        Func<T, string> line, params (string Header, Func<T, object?> Value)[] columns)
    {
        var xlsx = new Option<string?>("--xlsx") { Description = "导出为 Excel 文件" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        command.Options.Add(xlsx);
        command.Options.Add(db);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await load(new FundReports(context), parse, ct);
            if (parse.GetValue(xlsx) is { } path)
            {
                ExcelExport.Write(path, rows, columns);
                Console.WriteLine($"已导出 {path}");
            }
            else if (parse.GetValue(json))
                Shared.WriteJson(rows);
            else
                foreach (var row in rows)
                    Console.WriteLine(line(row));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
