using Microsoft.EntityFrameworkCore;
using System.CommandLine;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Members;
using MutualAid.Premiums;
using MutualAid.Reports;

namespace MutualAid.Cli;

/// <summary>Members, enrolment, premiums and the coverage report.</summary>
internal static class EnrollmentVerbs
{
    public static IEnumerable<Command> Create() => [Member(), Enroll(), Renew(), Withdraw(), Premium(), Report()];

    private static Command Member()
    {
        var id = new Argument<string>("ID") { Description = "身份证号" };
        var name = new Argument<string>("NAME") { Description = "姓名" };
        var type = new Option<string>("--type") { Description = $"会员类别：{string.Join("、", EnrollmentRules.MemberTypeNames.Keys)}", DefaultValueFactory = _ => "在职" };
        var phone = new Option<string?>("--phone") { Description = "手机号" };
        var unit = new Option<string?>("--unit") { Description = "单位统一社会信用代码" };
        var bank = new Option<string?>("--bank") { Description = "开户银行" };
        var account = new Option<string?>("--account") { Description = "银行账号" };
        var hardship = new Option<bool>("--hardship") { Description = "困难职工建档" };
        var model = new Option<bool>("--model-worker") { Description = "劳动模范" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var add = new Command("add", "登记或更新会员") { id, name, type, phone, unit, bank, account, hardship, model, db, json };
        add.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            if (!EnrollmentRules.MemberTypeNames.TryGetValue(parse.GetValue(type)!, out var memberType))
                throw new InvalidInputException([new Problem("--type", $"“{parse.GetValue(type)}”应为{string.Join("、", EnrollmentRules.MemberTypeNames.Keys)}之一")]);
            var member = await new RegisterMember(context).HandleAsync(new MemberInput(parse.GetValue(id)!, parse.GetValue(name)!, memberType,
                parse.GetValue(phone), parse.GetValue(unit), parse.GetValue(bank), parse.GetValue(account), parse.GetValue(hardship), parse.GetValue(model)), ct);
            Shared.Say(parse.GetValue(json), new { member.IdNumber, member.Name }, $"已登记 {member.Name}（{IdNumber.Parse(member.IdNumber).Masked}）");
            return ExitCodes.Ok;
        }, cancellationToken));
        return new Command("member", "会员") { add, Transfer(), Leave(), BankChangeVerbs.Create(), ModelWorkerVerbs.Create() };
    }

    private static Command Transfer()
    {
        var id = new Argument<string>("ID") { Description = "身份证号" };
        var to = new Option<string>("--to") { Description = "转入单位的统一社会信用代码", Required = true };
        var reason = new Option<string>("--reason") { Description = "转移原因", Required = true };
        var by = new Option<string>("--by") { Description = "经办人", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("transfer", "转移单位（经办办理，保留原单位的记录）") { id, to, reason, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var (number, memberId) = await MemberAsync(context, parse.GetValue(id)!, ct);
            var clerk = parse.GetValue(by)!;
            var scope = CityClerk(clerk);
            await new TransferMember(context, TimeProvider.System).HandleAsync(scope, memberId, parse.GetValue(to)!, parse.GetValue(reason)!, Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { IdNumber = number, Unit = parse.GetValue(to) }, $"已转入 {parse.GetValue(to)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>A registered member by ID number: the number as stored and the member's id.</summary>
    private static async Task<(string Number, long Id)> MemberAsync(Data.MutualAidDbContext context, string id, CancellationToken ct)
    {
        var number = id.Trim().ToUpperInvariant();
        var memberId = await context.Members.Where(m => m.IdNumber == number).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct)
            ?? throw new InvalidInputException([new Problem("ID", $"“{id}”不是已登记的会员")]);
        return (number, memberId);
    }

    /// <summary>The command line works for the whole city.</summary>
    private static Access.UserScope CityClerk(string clerk) => new(0, clerk, clerk, new HashSet<string> { Access.Roles.Clerk }, null, null, null);

    private static Command Leave()
    {
        var id = new Argument<string>("ID") { Description = "身份证号" };
        var reason = new Option<string>("--reason") { Description = "离开原因，如“离职”", Required = true };
        var by = new Option<string>("--by") { Description = "经办人", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("leave", "离开单位（经办办理，自今日起为个人；保留原单位的记录）") { id, reason, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var (number, memberId) = await MemberAsync(context, parse.GetValue(id)!, ct);
            var clerk = parse.GetValue(by)!;
            var scope = CityClerk(clerk);
            await new TransferMember(context, TimeProvider.System).LeaveAsync(scope, memberId, parse.GetValue(reason)!, Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { IdNumber = number, Unit = (string?)null }, "已办理离开单位");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Enroll()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var plan = new Option<string>("--plan") { Description = "计划代码", Required = true };
        var start = new Option<string?>("--start") { Description = "开始日期 YYYY-MM-DD，期间一年（单位职工在单位进行中的期间内则加入该期间）" };
        var from = new Option<string?>("--from") { Description = "新进职工：自该日加入单位进行中的参保期间 YYYY-MM-DD（至本期结束，保费按方案折算）" };
        var units = new Option<int>("--units") { Description = "份数", DefaultValueFactory = _ => 1 };
        var scheme = new Option<string?>("--scheme") { Description = "方案代码（只有一个方案时可省）" };
        var gifted = new Option<bool>("--gifted") { Description = "工会赠送" };
        var split = Shared.SplitOption();
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("enroll", "为一名会员参保（个人参保、年中入职）") { id, plan, start, from, units, scheme, gifted, split, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            if ((parse.GetValue(start) is null) == (parse.GetValue(from) is null))
                throw new InvalidInputException([new Problem("--start", "请给出 --start（开始日期）或 --from（新进职工加入进行中的期间）之一")]);
            var joining = parse.GetValue(from) is not null;
            var enrollment = await new EnrollmentCommands(context).EnrolAsync(parse.GetValue(id)!, parse.GetValue(scheme), parse.GetValue(plan)!,
                joining ? Shared.Date(parse.GetValue(from), "--from") : Shared.Date(parse.GetValue(start), "--start"), parse.GetValue(units), parse.GetValue(gifted),
                parse.GetValue(split) is { } text ? FundingSplit.Parse(text) : null, Shared.OperatingSystemUser, ct, joinRunning: joining);
            Shared.Say(parse.GetValue(json), new { enrollment.PlanCode, enrollment.Start, enrollment.End, Premium = enrollment.Premium.Yuan, enrollment.PriceRule, Status = enrollment.Status.ToString() },
                $"已参保 {enrollment.PlanCode} {enrollment.Period}，保费 {enrollment.Premium.ToDisplayString()} 元（{enrollment.PriceRule}），缴费后生效");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Renew()
    {
        var unit = new Option<string>("--unit") { Description = "单位统一社会信用代码", Required = true };
        var from = new Option<string>("--from") { Description = "本期开始日期 YYYY-MM-DD", Required = true };
        var skip = new Option<bool>("--skip-invalid") { Description = "跳过不符合条件的会员" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("renew", "单位整体续保到下一期") { unit, from, skip, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new EnrollmentCommands(context).RenewUnitAsync(parse.GetValue(unit)!, Shared.Date(parse.GetValue(from), "--from"), parse.GetValue(skip), Shared.OperatingSystemUser, ct);
            foreach (var problem in parse.GetValue(json) ? [] : report.Problems)
                await Console.Error.WriteLineAsync(problem);
            Shared.Say(parse.GetValue(json), report, report.Written
                ? $"续保 {report.Renewed} 条，已续保 {report.AlreadyRenewed} 条" + (report.Problems.Count > 0 ? $"，跳过 {report.Problems.Count} 条" : "")
                : $"{report.Problems.Count} 名会员不符合续保条件，未续保任何人（可用 --skip-invalid 续保其余会员）");
            return report.Written ? ExitCodes.Ok : ExitCodes.Invalid;
        }, cancellationToken));
        return command;
    }

    private static Command Withdraw()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var plan = new Option<string>("--plan") { Description = "计划代码", Required = true };
        var start = new Option<string>("--start") { Description = "参保期间开始日期", Required = true };
        var on = new Option<string?>("--on") { Description = "退保日期（默认今天）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("withdraw", "退保") { id, plan, start, on, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var enrollment = await new EnrollmentCommands(context).WithdrawAsync(parse.GetValue(id)!, parse.GetValue(plan)!,
                Shared.Date(parse.GetValue(start), "--start"), Shared.Date(parse.GetValue(on), "--on", Shared.Today), Shared.OperatingSystemUser, ct);
            Shared.Say(parse.GetValue(json), new { enrollment.PlanCode, enrollment.WithdrawnOn }, $"已退保 {enrollment.PlanCode} {enrollment.Period}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Premium()
    {
        var notice = PayerVerb("notice", "缴费通知单", async (desk, payer, start, _, ct) => await desk.NoticeAsync(payer, start, ct),
            result =>
            {
                var n = (PaymentNotice)result;
                var lines = n.Lines.Select(l => $"  {l.Plan} {l.PlanName}" + (l.Price.Length > 0 ? $"（{l.Price}）" : "") + $"：{l.Heads} 人 {l.Units} 份 {l.Amount:#,##0.00} 元");
                return string.Join("\n", [$"缴费通知单  {n.Payer}  {n.PeriodStart:yyyy-MM-dd} 起", .. lines,
                    $"  应缴 {n.Total:#,##0.00} 元，已缴 {n.Paid:#,##0.00} 元，尚欠 {n.Outstanding:#,##0.00} 元（待缴费参保 {n.PendingEnrollments} 条）"]);
            });
        var pay = PayerVerb("pay", "登记缴费（可部分缴费）", async (desk, payer, start, extra, ct) =>
                await desk.RecordAsync(payer, start, extra.Amount, extra.PaidOn, extra.Reference, Shared.OperatingSystemUser, ct),
            result =>
            {
                var r = (PaymentResult)result;
                return (r.AlreadyRecorded ? "该流水号已入账，未重复登记；" : "已入账；") +
                    $"累计已缴 {r.Paid:#,##0.00} 元，尚欠 {r.Outstanding:#,##0.00} 元，本次生效参保 {r.Activated} 条";
            }, withPayment: true);
        return new Command("premium", "保费") { notice, pay };
    }

    private sealed record Payment(Money Amount, DateOnly PaidOn, string Reference);

    private static Command PayerVerb(string name, string description, Func<PremiumDesk, PayerRef, DateOnly, Payment, CancellationToken, Task<object>> run, Func<object, string> text, bool withPayment = false)
    {
        var unit = new Option<string?>("--unit") { Description = "缴费单位统一社会信用代码" };
        var member = new Option<string?>("--member") { Description = "个人缴费：会员身份证号" };
        var union = new Option<bool>("--union") { Description = "工会承担的部分（赠送）" };
        var government = new Option<bool>("--government") { Description = "政府补助的部分" };
        var donation = new Option<bool>("--donation") { Description = "社会捐赠的部分" };
        var start = new Option<string>("--start") { Description = "参保期间开始日期", Required = true };
        var amount = new Option<string>("--amount") { Description = "金额（元）", Required = withPayment };
        var on = new Option<string?>("--on") { Description = "到账日期（默认今天）" };
        var reference = new Option<string>("--ref") { Description = "银行流水号", Required = withPayment };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command(name, description) { unit, member, union, government, donation, start, db, json };
        if (withPayment)
        {
            command.Options.Add(amount);
            command.Options.Add(on);
            command.Options.Add(reference);
        }
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var payer = parse.GetValue(unit) is { } u ? PayerRef.Unit(u)
                : parse.GetValue(member) is { } m ? PayerRef.Member(m)
                : parse.GetValue(union) ? PayerRef.Union
                : parse.GetValue(government) ? PayerRef.Government
                : parse.GetValue(donation) ? PayerRef.Donation
                : throw new InvalidInputException([new Problem("缴费方", "请用 --unit、--member、--union、--government 或 --donation 指明")]);
            var money = withPayment ? Shared.Amount(parse.GetValue(amount), "--amount") : Money.Zero;
            var payment = new Payment(money, Shared.Date(parse.GetValue(on), "--on", Shared.Today), parse.GetValue(reference) ?? "");
            var result = await run(new PremiumDesk(context), payer, Shared.Date(parse.GetValue(start), "--start"), payment, ct);
            Shared.Say(parse.GetValue(json), result, text(result));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Report()
    {
        var plan = new Option<string>("--plan") { Description = "计划代码", Required = true };
        var on = new Option<string?>("--on") { Description = "统计日期（默认今天）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var coverage = new Command("coverage", "参保覆盖率：单位参保率与职工参保率（目标各 80%）") { plan, on, db, json };
        coverage.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new CoverageReport(context).HandleAsync(parse.GetValue(plan)!, Shared.Date(parse.GetValue(on), "--on", Shared.Today), ct);
            if (parse.GetValue(json))
            {
                Shared.WriteJson(report);
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{report.Plan} 参保覆盖率（{report.On:yyyy-MM-dd}，目标单位 {report.Target:P0}、职工 {report.Target:P0}）");
            foreach (var d in report.Districts)
            {
                Console.WriteLine($"{d.Code} {d.Name}：单位 {d.UnitsEnrolled}/{d.Units}（{d.UnitRate:P1}{Mark(d.UnitRate)}），职工 {d.Enrolled}/{d.Headcount}（{d.WorkerRate:P1}{Mark(d.WorkerRate)}）");
                foreach (var u in d.UnitsDetail)
                    Console.WriteLine($"    {u.Name}：{u.Enrolled}/{u.Headcount}（{u.Rate:P1}{Mark(u.Rate)}）");
            }
            Console.WriteLine($"合计：单位 {report.UnitsEnrolled}/{report.Units}，职工 {report.Enrolled}/{report.Headcount}");
            return ExitCodes.Ok;
        }, cancellationToken));
        var report = new Command("report", "统计报表") { coverage };
        foreach (var fund in FundReportCommands.Reports())
            report.Subcommands.Add(fund);
        return report;
    }

    private static string Mark(decimal rate) => rate >= CoverageReport.Target ? "" : "，未达标";
}
