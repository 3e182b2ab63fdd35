using System.CommandLine;
using MutualAid.Benefits;
using MutualAid.Partners;

namespace MutualAid.Cli;

/// <summary>
/// <c>mutualaid partner …</c>: partner institutions (合作医疗机构) and their terms, their monthly
/// statements (导入、核准、不予核准) and the year's report, through the same handlers as the web pages.
/// <c>--by</c> names a stored account, whose role and scope count as on the web. An approved statement
/// is paid to the institution by <c>payments batch</c> with the claims.
/// </summary>
internal static class PartnerCommands
{
    public static Command Create() => new("partner", "合作医疗机构与医疗优惠补助")
    {
        Save(), List(), Import(), Approve(), Refuse(), Statements(), Report(),
    };


    private static Command Save()
    {
        var code = new Argument<string>("CODE") { Description = "统一社会信用代码" };
        var name = new Option<string>("--name") { Description = "机构名称", Required = true };
        var kind = new Option<string>("--kind") { Description = "hospital（医院）或 pharmacy（药店）", DefaultValueFactory = _ => "hospital" };
        var rate = new Option<int>("--rate") { Description = "优惠比例：会员自付部分的百分比（1–100）", Required = true };
        var visitCap = new Option<string>("--visit-cap") { Description = "每次封顶（元）", Required = true };
        var yearCap = new Option<string>("--year-cap") { Description = "每人每年封顶（元）", Required = true };
        var plan = new Option<string?>("--plan") { Description = "须参加的计划（代码或名称），不填为任一计划" };
        var bank = new Option<string?>("--bank-name") { Description = "开户行" };
        var account = new Option<string?>("--account") { Description = "机构的银行账号" };
        var inactive = new Option<bool>("--inactive") { Description = "停用：不再接收结算单" };
        var (by, db, json) = (Shared.By("市级管理员"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("save", "新增合作医疗机构或修改其优惠协议、银行账户") { code, name, kind, rate, visitCap, yearCap, plan, bank, account, inactive, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var who = parse.GetValue(by)!;
            var kindText = parse.GetValue(kind);
            var partnerKind = Enum.TryParse<PartnerKind>(kindText, ignoreCase: true, out var parsed) && !int.TryParse(kindText, out _) ? parsed
                : throw new InvalidInputException("--kind", $"“{kindText}”应为 hospital（医院）或 pharmacy（药店）");
            var terms = new PartnerTerms(parse.GetValue(code), parse.GetValue(name), partnerKind,
                parse.GetValue(rate), Shared.Amount(parse.GetValue(visitCap), "--visit-cap"), Shared.Amount(parse.GetValue(yearCap), "--year-cap"),
                parse.GetValue(plan), parse.GetValue(bank), parse.GetValue(account), !parse.GetValue(inactive));
            var partner = await new PartnerDesk(context, TimeProvider.System).SaveAsync(await Shared.ScopeAsync(context, who, ct), terms, Auditing.Actor.Cli(who), ct);
            Shared.Say(parse.GetValue(json), new { partner.Code, partner.Name, Kind = partner.Kind.ToString(), partner.RatePercent, VisitCap = partner.VisitCap.Yuan, YearCap = partner.YearCap.Yuan, partner.Active },
                $"合作医疗机构 {partner.Name}（{partner.Code}）已保存：{partner.TermsText}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "合作医疗机构及其优惠协议") { db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await new PartnerLists(context).PartnersAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows.Select(r => new { r.Code, r.Name, Kind = r.Kind.ToString(), r.KindName, r.RatePercent, VisitCap = r.VisitCap.Yuan, YearCap = r.YearCap.Yuan, r.Plan, r.Account, r.Active }));
            else if (rows.Count == 0)
                Console.WriteLine("没有合作医疗机构");
            else
                foreach (var r in rows)
                    Console.WriteLine($"{r.Code}\t{r.Name}\t{r.KindName}\t自付 {r.RatePercent}%\t每次 {r.VisitCap.ToDisplayString()} 元\t每年 {r.YearCap.ToDisplayString()} 元\t{r.Plan ?? "任一计划"}\t{r.Account}" + (r.Active ? "" : "\t已停用"));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "月度优惠结算单（.csv、.xlsx 或 .xls，格式见 docs/imports.md）" };
        var partner = new Option<string>("--partner") { Description = "合作医疗机构的统一社会信用代码", Required = true };
        var month = new Option<string>("--month") { Description = "结算月份 YYYY-MM", Required = true };
        var (by, db, json) = (Shared.By("市级经办人"), Shared.DbOption(), Shared.JsonOption());
        var command = new Command("import", "导入合作医疗机构的月度优惠结算单：逐行核对，有一行不符则整单不导入") { file, partner, month, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var who = parse.GetValue(by)!;
            var statement = await new PartnerDesk(context, TimeProvider.System).ImportAsync(await Shared.ScopeAsync(context, who, ct), parse.GetValue(partner),
                Month(parse.GetValue(month)), parse.GetValue(file)!.FullName, Auditing.Actor.Cli(who), ct);
            Shared.Say(parse.GetValue(json), new { statement.Number, statement.Rows, Discount = statement.Discount.Yuan, State = statement.State.ToString() },
                $"结算单 {statement.Number} 已导入：{statement.Rows} 笔，优惠 {statement.Discount.ToDisplayString()} 元，待另一人复核");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Approve() => Shared.Check("approve", "复核核准结算单：记入医疗优惠补助支出，待发放批次付至机构账户", "结算单编号（H 开头）", "复核人，不能是导入人", refuse: false,
        (db, scope, number, _, actor, ct) => new PartnerDesk(db, TimeProvider.System).ApproveAsync(scope, number, actor, ct),
        s => (new { s.Number, State = s.State.ToString(), s.CheckedBy }, $"结算单 {s.Number} 已核准，{s.Discount.ToDisplayString()} 元待发放批次付至机构"));

    private static Command Refuse() => Shared.Check("refuse", "复核不予核准结算单：其结算可在更正后重新导入", "结算单编号（H 开头）", "复核人，不能是导入人", refuse: true,
        (db, scope, number, reason, actor, ct) => new PartnerDesk(db, TimeProvider.System).RefuseAsync(scope, number, reason, actor, ct),
        s => (new { s.Number, State = s.State.ToString(), s.CheckedBy }, $"结算单 {s.Number} 不予核准"));

    private static Command Statements()
    {
        var partner = new Option<string?>("--partner") { Description = "合作医疗机构的统一社会信用代码" };
        var year = new Option<int?>("--year") { Description = "结算年度" };
        var state = new Option<string?>("--state") { Description = "imported（待复核）、approved（已核准）、refused（不予核准）或 paid（已付款）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("statements", "月度优惠结算单，最新的在前") { partner, year, state, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var rows = await new PartnerLists(context).StatementsAsync(parse.GetValue(partner), parse.GetValue(year), Shared.StateOf<StatementState>(parse.GetValue(state)), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows.Select(r => new { r.Number, r.Partner, r.PartnerCode, Month = r.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), r.Rows,
                    SelfPay = r.SelfPay.Yuan, Discount = r.Discount.Yuan, State = r.State.ToString(), r.StateName, r.ImportedBy, r.CheckedBy, r.RefusalReason, r.PaidBy }));
            else if (rows.Count == 0)
                Console.WriteLine("没有结算单");
            else
                foreach (var r in rows)
                    Console.WriteLine($"{r.Number}\t{r.StateName}\t{r.Partner}\t{r.Month:yyyy-MM}\t{r.Rows} 笔\t优惠 {r.Discount.ToDisplayString()} 元\t{r.ImportedBy} 导入" + (r.CheckedBy is null ? "" : $"，{r.CheckedBy} 复核"));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Report()
    {
        var year = new Option<int?>("--year") { Description = "年度，默认今年" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("report", "医疗优惠补助统计：按机构和月份的人次、优惠和已付款") { year, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new PartnerLists(context).ReportAsync(parse.GetValue(year) ?? Shared.Today.Year, ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(new
                {
                    report.Year,
                    Months = report.Months.Select(m => new { m.Partner, m.Code, Month = m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), m.Number, State = m.State.ToString(), m.Visits, SelfPay = m.SelfPay.Yuan, Discount = m.Discount.Yuan, Paid = m.Paid.Yuan }),
                    Partners = report.Partners.Select(p => new { p.Partner, p.Code, p.Visits, p.Members, Discount = p.Discount.Yuan, Paid = p.Paid.Yuan }),
                    report.Visits, Discount = report.Discount.Yuan, Paid = report.Paid.Yuan,
                });
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{report.Year} 年医疗优惠补助");
            foreach (var m in report.Months)
                Console.WriteLine($"{m.Partner}\t{m.Month:yyyy-MM}\t{m.StateName}\t{m.Visits} 人次\t优惠 {m.Discount.ToDisplayString()} 元\t已付 {m.Paid.ToDisplayString()} 元");
            foreach (var p in report.Partners)
                Console.WriteLine($"{p.Partner} 合计\t{p.Visits} 人次\t{p.Members} 人\t优惠 {p.Discount.ToDisplayString()} 元\t已付 {p.Paid.ToDisplayString()} 元");
            Console.WriteLine($"合计\t{report.Visits} 人次\t优惠 {report.Discount.ToDisplayString()} 元\t已付 {report.Paid.ToDisplayString()} 元");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>A YYYY-MM option value as its first day, or invalid input naming the option.</summary>
    internal static DateOnly Month(string? text) =>
        DateOnly.TryParseExact($"{text}-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var month)
            ? month : throw new InvalidInputException([new Problem("--month", $"“{text}”不是 YYYY-MM 格式的月份")]);
}
