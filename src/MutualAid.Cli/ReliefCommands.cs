using System.CommandLine;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Relief;

namespace MutualAid.Cli;

/// <summary>
/// <c>mutualaid relief …</c>: hardship files (困难职工档案), the year's relief budget, relief applications
/// (二次救助) and their check, and the council's report, through the same handlers as the web pages.
/// <c>--by</c> names a stored account, whose role and scope count as on the web. Approved relief is
/// paid by <c>payments batch</c> with the claims.
/// </summary>
internal static class ReliefCommands
{
    public static Command Create() => new("relief", "困难职工档案与二次救助")
    {
        new Command("file", "困难职工档案：建档、认定、复核、查看") { OpenFile(), ApproveFile(), ReviewFile(), ListFiles() },
        new Command("budget", "年度救助预算：设定、查看") { SetBudget(), ListBudgets() },
        Apply(), Approve(), Refuse(), List(), Report(),
    };


    private static Command OpenFile()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var reason = new Option<string>("--reason") { Description = "困难原因", Required = true };
        var evidence = new Option<string>("--evidence") { Description = "证明材料（如医院诊断证明、街道困难证明）", Required = true };
        var review = new Option<string>("--review-on") { Description = "复核日期 YYYY-MM-DD", Required = true };
        var (by, db, json) = (Shared.By("建档的经办人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("open", "为会员建立困难档案，待另一人认定") { id, reason, evidence, review, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var clerk = parse.GetValue(by)!;
            var file = await new HardshipFiles(context, TimeProvider.System).OpenAsync(await Shared.ScopeAsync(context, clerk, ct), parse.GetValue(id),
                parse.GetValue(reason), parse.GetValue(evidence), Shared.Date(parse.GetValue(review), "--review-on"), Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { file.Number, State = file.State.ToString(), file.ReviewOn }, $"困难档案 {file.Number} 已建立，待另一人认定");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command ApproveFile() => Shared.Check("approve", "认定困难档案（须由建档人以外的另一人）", "档案编号（K 开头）", "认定人，不能是建档人", refuse: false,
        (db, scope, number, _, actor, ct) => new HardshipFiles(db, TimeProvider.System).ApproveAsync(scope, number, actor, ct),
        f => (new { f.Number, State = f.State.ToString(), f.ApprovedBy }, $"困难档案 {f.Number} 已认定"));

    private static Command ReviewFile()
    {
        var number = new Argument<string>("NUMBER") { Description = "档案编号（K 开头）" };
        var next = new Option<string?>("--next") { Description = "仍属困难：下次复核日期 YYYY-MM-DD" };
        var close = new Option<string?>("--close") { Description = "不再困难：撤销原因" };
        var (by, db, json) = (Shared.By("复核人，不能是建档人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("review", "到复核日期复核困难档案：仍属困难的定下次复核日期（--next），不再困难的撤销（--close）") { number, next, close, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var who = parse.GetValue(by)!;
            var (nextOn, reason) = (parse.GetValue(next), parse.GetValue(close));
            if ((nextOn is null) == (reason is null))
                throw new Benefits.InvalidInputException("--next / --close", "二者选一：仍属困难的给下次复核日期，不再困难的给撤销原因");
            var file = await new HardshipFiles(context, TimeProvider.System).ReviewAsync(await Shared.ScopeAsync(context, who, ct), parse.GetValue(number)!,
                nextOn is null ? null : Shared.Date(nextOn, "--next"), reason, Auditing.Actor.Cli(who), ct);
            Shared.Say(parse.GetValue(json), new { file.Number, State = file.State.ToString(), file.ReviewOn, file.ClosedReason },
                file.State == HardshipState.Closed ? $"困难档案 {file.Number} 已撤销" : $"困难档案 {file.Number} 已复核，下次复核日期 {file.ReviewOn:yyyy-MM-dd}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command ListFiles()
    {
        var state = new Option<string?>("--state") { Description = "pending（待认定）、approved（已认定）或 closed（已撤销）" };
        var (by, db, json) = (Shared.By("查看人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "困难档案，最新的在前") { state, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await new ReliefLists(context).HardshipAsync(await Shared.ScopeAsync(context, parse.GetValue(by)!, ct), Shared.StateOf<HardshipState>(parse.GetValue(state)), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows.Select(r => new { r.Number, r.Name, r.IdNumber, r.District, r.Reason, r.Evidence, State = r.State.ToString(), r.StateName, r.OpenedBy, r.ApprovedBy, r.ReviewOn }));
            else if (rows.Count == 0)
                Console.WriteLine("没有困难档案");
            else
                foreach (var r in rows)
                    Console.WriteLine($"{r.Number}\t{r.StateName}\t{r.Name}\t{r.IdNumber}\t{r.District}\t{r.Reason}\t复核日期 {r.ReviewOn:yyyy-MM-dd}\t{r.OpenedBy} 建档" + (r.ApprovedBy is null ? "" : $"，{r.ApprovedBy} 认定"));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command SetBudget()
    {
        var year = new Argument<int>("YEAR") { Description = "年度" };
        var amount = new Option<string>("--amount") { Description = "救助预算（元）", Required = true };
        var (by, db, json) = (Shared.By("财务人员"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("set", "设定或调整一年的救助预算（不能少于已核准的金额）") { year, amount, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var who = parse.GetValue(by)!;
            var budget = await new ReliefDesk(context, TimeProvider.System).SetBudgetAsync(await Shared.ScopeAsync(context, who, ct), parse.GetValue(year),
                Shared.Amount(parse.GetValue(amount), "--amount"), Auditing.Actor.Cli(who), ct);
            Shared.Say(parse.GetValue(json), new { budget.Year, Amount = budget.Amount.Yuan, Committed = budget.Committed.Yuan },
                $"{budget.Year} 年救助预算 {budget.Amount.ToDisplayString()} 元，已核准 {budget.Committed.ToDisplayString()} 元");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command ListBudgets()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "各年度救助预算、已核准和余额") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await new ReliefLists(context).BudgetsAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows.Select(r => new { r.Year, Amount = r.Amount.Yuan, Committed = r.Committed.Yuan, Remaining = r.Remaining.Yuan }));
            else if (rows.Count == 0)
                Console.WriteLine("尚未设定救助预算");
            else
                foreach (var r in rows)
                    Console.WriteLine($"{r.Year} 年\t预算 {r.Amount.ToDisplayString()} 元\t已核准 {r.Committed.ToDisplayString()} 元\t余额 {r.Remaining.ToDisplayString()} 元");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Apply()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号（须有已认定的困难档案）" };
        var year = new Option<int?>("--year") { Description = "预算年度，默认今年" };
        var amount = new Option<string>("--amount") { Description = "救助委员会决定的金额（元）", Required = true };
        var meeting = new Option<string>("--meeting") { Description = "救助委员会会议纪要编号", Required = true };
        var note = new Option<string?>("--note") { Description = "备注" };
        var (by, db, json) = (Shared.By("录入的经办人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("apply", "录入救助申请（救助委员会决定的金额），待另一人复核") { id, year, amount, meeting, note, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var clerk = parse.GetValue(by)!;
            var application = await new ReliefDesk(context, TimeProvider.System).ApplyAsync(await Shared.ScopeAsync(context, clerk, ct), parse.GetValue(id),
                parse.GetValue(year) ?? Shared.Today.Year, Shared.Amount(parse.GetValue(amount), "--amount"), parse.GetValue(meeting), parse.GetValue(note), Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { application.Number, application.Year, Amount = application.Amount.Yuan, State = application.State.ToString() },
                $"救助申请 {application.Number}（{application.Amount.ToDisplayString()} 元）已录入，待另一人复核");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Approve() => Shared.Check("approve", "复核核准救助申请：在年度预算内，记入二次救助支出，待发放批次支付", "申请编号（J 开头）", "复核人，不能是录入人", refuse: false,
        (db, scope, number, _, actor, ct) => new ReliefDesk(db, TimeProvider.System).ApproveAsync(scope, number, actor, ct),
        a => (new { a.Number, State = a.State.ToString(), a.CheckedBy }, $"救助申请 {a.Number} 已核准，{a.Amount.ToDisplayString()} 元待发放"));

    private static Command Refuse() => Shared.Check("refuse", "复核不予核准救助申请", "申请编号（J 开头）", "复核人，不能是录入人", refuse: true,
        (db, scope, number, reason, actor, ct) => new ReliefDesk(db, TimeProvider.System).RefuseAsync(scope, number, reason, actor, ct),
        a => (new { a.Number, State = a.State.ToString(), a.CheckedBy }, $"救助申请 {a.Number} 不予核准"));

    private static Command List()
    {
        var year = new Option<int?>("--year") { Description = "预算年度" };
        var state = new Option<string?>("--state") { Description = "submitted（待复核）、approved（已核准）、refused（不予核准）或 paid（已发放）" };
        var (by, db, json) = (Shared.By("查看人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "救助申请，最新的在前") { year, state, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await new ReliefLists(context).ApplicationsAsync(await Shared.ScopeAsync(context, parse.GetValue(by)!, ct), parse.GetValue(year), Shared.StateOf<ReliefState>(parse.GetValue(state)), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows.Select(r => new { r.Number, r.Year, r.Name, r.IdNumber, r.District, Amount = r.Amount.Yuan, r.Meeting, State = r.State.ToString(), r.StateName, r.EnteredBy, r.CheckedBy, r.RefusalReason, r.PaidBy }));
            else if (rows.Count == 0)
                Console.WriteLine("没有救助申请");
            else
                foreach (var r in rows)
                    Console.WriteLine($"{r.Number}\t{r.StateName}\t{r.Name}\t{r.IdNumber}\t{r.District}\t{r.Amount.ToDisplayString()} 元\t{r.Meeting}\t{r.EnteredBy} 录入" + (r.CheckedBy is null ? "" : $"，{r.CheckedBy} 复核"));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Report()
    {
        var year = new Option<int?>("--year") { Description = "年度，默认今年" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("report", "二次救助统计：按区县的发放，困难职工占理赔人数的比例") { year, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new ReliefReport(context).HandleAsync(parse.GetValue(year) ?? Shared.Today.Year, ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(new
                {
                    report.Year, Districts = report.Districts.Select(d => new { d.District, d.Paid, Amount = d.Amount.Yuan }), report.PaidCount, PaidTotal = report.PaidTotal.Yuan,
                    ApprovedUnpaid = report.ApprovedUnpaid.Yuan, Budget = report.Budget?.Yuan, report.Claimants, report.HardshipClaimants, report.HardshipShare,
                });
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{report.Year} 年二次救助");
            foreach (var d in report.Districts)
                Console.WriteLine($"{d.District}\t{d.Paid} 人\t{d.Amount.ToDisplayString()} 元");
            Console.WriteLine($"合计\t{report.PaidCount} 人\t{report.PaidTotal.ToDisplayString()} 元");
            Console.WriteLine($"已核准待发放 {report.ApprovedUnpaid.ToDisplayString()} 元；预算 " + (report.Budget is { } b ? $"{b.ToDisplayString()} 元" : "未设定"));
            Console.WriteLine($"理赔人数 {report.Claimants}，其中困难职工 {report.HardshipClaimants}" + (report.HardshipShare is { } share ? $"（{share}%）" : ""));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
