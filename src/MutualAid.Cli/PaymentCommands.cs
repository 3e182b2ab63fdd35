using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Payments;

namespace MutualAid.Cli;

/// <summary><c>mutualaid payments</c> (batches, the bank file, the return file) and <c>mutualaid ledger</c> (check, balances, close, reopen, year-end).</summary>
internal static class PaymentCommands
{
    public static Command Payments() => new("payments", "互助金发放：批次、银行文件、回盘") { Batch(), Approve(), Export(), Return(), List() };

    public static Command Ledger() => new("ledger", "互助金账务：核对、余额、结账、反结账、年终统筹分担") { Check(), Balances(), Opening(), Close(), Reopen(), YearEndShare() };

    private static Command Batch()
    {
        var by = new Option<string>("--by") { Description = "生成人（财务）", Required = true };
        var max = new Option<int>("--max") { Description = "本批最多几笔", DefaultValueFactory = _ => 10_000 };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("batch", "把已审批未支付的理赔生成一个发放批次（待另一人审批）") { by, max, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var result = await new PaymentDesk(context, TimeProvider.System).CreateBatchAsync(Actor.Cli(parse.GetValue(by)!), parse.GetValue(max), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(new { Batch = result.Batch?.Code, result.Batch?.Count, Total = result.Batch?.Total.Yuan, Held = result.Held.Select(h => h.ToString()) });
            else
            {
                Console.WriteLine(result.Batch is { } b ? $"已生成批次 {b.Code}：{b.Count} 笔，合计 {b.Total.ToDisplayString()} 元，待审批" : "没有待发放的理赔");
                foreach (var held in result.Held)
                    Console.WriteLine($"  暂缓 {held}");
            }
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Approve()
    {
        var code = new Argument<string>("BATCH") { Description = "批次号" };
        var by = new Option<string>("--by") { Description = "审批人（不能是生成人）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("approve", "财务审批发放批次") { code, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var batch = await new PaymentDesk(context, TimeProvider.System).ApproveAsync(parse.GetValue(code)!, Actor.Cli(parse.GetValue(by)!), ct);
            Shared.Say(parse.GetValue(json), new { batch.Code, State = batch.State.ToString() }, $"批次 {batch.Code} 已审批");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Export()
    {
        var code = new Argument<string>("BATCH") { Description = "批次号" };
        var output = new Option<string>("-o", "--output") { Description = "写到哪个文件夹", DefaultValueFactory = _ => "." };
        var xlsx = new Option<bool>("--xlsx") { Description = "另写一份同样各列的 Excel 副本（.xlsx）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("export", "写出银行发放文件（再写一次得到同一个文件）") { code, output, xlsx, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var desk = new PaymentDesk(context, TimeProvider.System);
            var files = new List<BankFile> { await desk.SendAsync(parse.GetValue(code)!, Shared.OperatingSystemUser, ct) };
            if (parse.GetValue(xlsx))
                files.Add(await desk.ExcelFileAsync(parse.GetValue(code)!, Shared.OperatingSystemUser, ct));
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            var paths = new List<string>();
            foreach (var file in files)
            {
                // Whole, then renamed into place: the bank never reads half a file.
                var path = Path.Combine(folder, file.Name);
                await File.WriteAllBytesAsync(path + ".part", file.Content, ct);
                File.Move(path + ".part", path, overwrite: true);
                paths.Add(path);
            }
            Shared.Say(parse.GetValue(json), new { File = paths[0], Excel = paths.Count > 1 ? paths[1] : null }, $"已写出 {string.Join("、", paths)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Return()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "银行回盘文件（.csv、.xlsx 或 .xls）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("return", "导入银行回盘：成功的理赔记为已支付，失败的退回待发放") { file, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new PaymentDesk(context, TimeProvider.System).ImportReturnAsync(parse.GetValue(file)!.FullName, Shared.OperatingSystemUser, ct);
            if (parse.GetValue(json))
                Shared.WriteJson(report);
            else
            {
                Console.WriteLine($"{report.File}：{report.Rows} 行，支付成功 {report.Paid} 笔，失败退回 {report.Failed} 笔，已处理过 {report.Unchanged} 笔，拒收 {report.Rejected.Count} 行");
                foreach (var problem in report.Rejected)
                    Console.Error.WriteLine($"{report.File} {problem}");
            }
            if (report.Refused)
                Console.Error.WriteLine($"{report.File}：回盘未导入，{report.Rows} 行全部被拒收，没有一笔记为成功或失败");
            return report.Rejected.Count > 0 ? ExitCodes.Invalid : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "列出发放批次") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var batches = await context.PaymentBatches.AsNoTracking().Include(b => b.Payments).OrderByDescending(b => b.Id).Take(50).ToListAsync(ct);
            var rows = batches.Select(b => new
            {
                b.Code, State = b.State.ToString(), b.Count, Total = b.Total.Yuan, b.CreatedBy, b.ApprovedBy,
                Paid = b.Payments.Count(p => p.State == PaymentState.Paid), Failed = b.Payments.Count(p => p.State == PaymentState.Failed),
                b.NewAccounts, NewAccountLines = b.Payments.Where(p => p.NewAccount).Select(p => p.LineNo).ToList(),
            }).ToList();
            if (parse.GetValue(json))
                Shared.WriteJson(rows);
            else
                foreach (var b in rows)
                    Console.WriteLine($"{b.Code}\t{b.State}\t{b.Count} 笔\t{b.Total:#,##0.00} 元\t成功 {b.Paid}\t失败 {b.Failed}\t{b.CreatedBy}/{b.ApprovedBy}" + (b.NewAccounts > 0 ? $"\t新账户 {b.NewAccounts} 笔（第 {string.Join("、", b.NewAccountLines)} 笔）" : ""));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Check()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("check", "核对账簿：每张凭证平衡、总账平衡、与理赔、支付、回盘、缴费一致；不一致时退出码为 1") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new LedgerCheck(context).HandleAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(new { report.Ok, report.Entries, report.Unbalanced, report.Debits, report.Credits, report.Figures });
            else
            {
                Console.WriteLine($"凭证 {report.Entries} 张，不平 {report.Unbalanced} 张；借方合计 {report.Debits:#,##0.00}，贷方合计 {report.Credits:#,##0.00}");
                foreach (var f in report.Figures)
                    Console.WriteLine($"{(f.Agrees ? "一致" : "不一致")}\t{f.What}\t账 {f.Ledger:#,##0.00}\t实 {f.Records:#,##0.00}");
                Console.WriteLine(report.Ok ? "账实相符" : "账实不符");
            }
            return report.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    private static Command Balances()
    {
        var district = new Option<string?>("--district") { Description = "只看一个区县（6 位代码）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("balances", "科目余额表") { district, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var balances = await new LedgerCheck(context).BalancesAsync(parse.GetValue(district), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(balances);
            else
                foreach (var b in balances)
                    Console.WriteLine($"{b.Account,-16}{b.Name}\t借 {b.Debits:#,##0.00}\t贷 {b.Credits:#,##0.00}\t余额 {b.Balance:#,##0.00}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command YearEndShare()
    {
        var year = new Argument<int>("YEAR") { Description = "年度" };
        var by = new Option<string>("--by") { Description = "经办人", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("year-end", "年终：区县赤字按方案比例由市级统筹与区县分担，记账并列出各区县收支") { year, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new YearEnd(context, TimeProvider.System).ShareDeficitsAsync(parse.GetValue(year), Actor.Cli(parse.GetValue(by)!), ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(report);
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{report.Year} 年区县收支（市级统筹分担赤字的 {report.PoolShare:P0}）{(report.Posted ? "，已记账" : "，此前已记账，本次只列出")}");
            foreach (var d in report.Districts)
                Console.WriteLine($"{d.District} {d.Name}	收入 {d.Income:#,##0.00}	支出 {d.Expenditure:#,##0.00}	结余 {d.Result:#,##0.00}	统筹分担 {d.PoolBears:#,##0.00}	区县自担 {d.DistrictBears:#,##0.00}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Opening()
    {
        var date = new Option<string>("--date") { Description = "记账日期 YYYY-MM-DD，须早于账上第一笔凭证", Required = true };
        var amount = new Option<string>("--amount") { Description = "结转的互助金（元），即专户的银行存款", Required = true };
        var memo = new Option<string>("--memo") { Description = "摘要", DefaultValueFactory = _ => "上年末互助金结余结转（期初余额）" };
        var by = new Option<string>("--by") { Description = "经办人", Required = true };
        var db = Shared.DbOption();
        var command = new Command("opening", "登记期初余额：启用本系统前的互助金结余，记一次（银行存款对互助金结余）") { date, amount, memo, by, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var day = Shared.Date(parse.GetValue(date), "--date");
            var money = Shared.Amount(parse.GetValue(amount), "--amount");
            await new Books(context).OpeningBalanceAsync(day, money, parse.GetValue(memo)!, Actor.Cli(parse.GetValue(by)!), TimeProvider.System.Now(), ct);
            Console.WriteLine($"期初余额 {money.ToDisplayString()} 元已记于 {day:yyyy-MM-dd}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Close()
    {
        var month = new Argument<string>("MONTH") { Description = "账期 YYYY-MM" };
        var by = new Option<string>("--by") { Description = "结账人", Required = true };
        var db = Shared.DbOption();
        var command = new Command("close", "结账：该月及以前不再记账；按月依次结账，已结账的月份再结一次不作改动") { month, by, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var day = Shared.Date(parse.GetValue(month) + "-01", "MONTH");
            var outcome = await new Books(context).CloseAsync(day.Year, day.Month, Actor.Cli(parse.GetValue(by)!), TimeProvider.System.Now(), ct);
            Console.WriteLine(outcome.Message);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Reopen()
    {
        var month = new Argument<string>("MONTH") { Description = "账期 YYYY-MM（只能是最近结账的月份）" };
        var by = new Option<string>("--by") { Description = "反结账人", Required = true };
        var approvedBy = new Option<string>("--approved-by") { Description = "批准人（不能是反结账人）", Required = true };
        var db = Shared.DbOption();
        var command = new Command("reopen", "反结账：重新打开最近结账的月份，须另一人批准，记入操作日志") { month, by, approvedBy, db };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var day = Shared.Date(parse.GetValue(month) + "-01", "MONTH");
            await new Books(context).ReopenAsync(day.Year, day.Month, parse.GetValue(by)!, parse.GetValue(approvedBy)!, TimeProvider.System.Now(), ct);
            Console.WriteLine($"{day:yyyy-MM} 已反结账（{parse.GetValue(by)} 经 {parse.GetValue(approvedBy)} 批准）");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
