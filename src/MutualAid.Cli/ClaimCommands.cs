using System.CommandLine;
using MutualAid.Auditing;
using MutualAid.Claims;
using MutualAid.Common;

namespace MutualAid.Cli;

/// <summary><c>mutualaid claims</c>: list, show, overdue, the review verbs, and manual intake.</summary>
internal static class ClaimCommands
{
    public static Command Create()
    {
        var command = new Command("claims", "理赔")
        {
            List(),
            Show(),
            Overdue(),
            Reasons(),
            Review("approve", "复核通过", null, needsReason: false, (r, n, by, code, why, checkedDuplicates, ct) => r.ApproveAsync(n, Actor.Cli(by), why, checkedDuplicates, ct)),
            Review("reject", "驳回（须给出原因代码）", ReviewReasons.Rejection, needsReason: false, (r, n, by, code, why, _, ct) => r.RejectAsync(n, Actor.Cli(by), code, why, ct)),
            Review("return", "退回补正（须给出原因代码）", ReviewReasons.Return, needsReason: false, (r, n, by, code, why, _, ct) => r.ReturnAsync(n, Actor.Cli(by), code, why, ct)),
            Review("reopen", "驳回后重新受理", null, needsReason: true, (r, n, by, code, why, _, ct) => r.ReopenAsync(n, Actor.Cli(by), why ?? "", ct)),
        };
        foreach (var intake in IntakeCommands.Create())
            command.Subcommands.Add(intake);
        command.Subcommands.Add(Recover());
        return command;
    }

    /// <summary><c>claims recover NUMBER --on DATE --ref SERIAL</c>: a member's repayment of a recovery (追回款到账).</summary>
    private static Command Recover()
    {
        var number = new Argument<string>("NUMBER") { Description = "理赔编号" };
        var on = new Option<string>("--on") { Description = "到账日期 YYYY-MM-DD", Required = true };
        var reference = new Option<string>("--ref") { Description = "银行流水号（同一流水号只入账一次）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("recover", "追回款到账：会员退回已付的互助金") { number, on, reference, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var recovery = await new CollectRecovery(context, TimeProvider.System)
                .HandleAsync(parse.GetValue(number)!, Shared.Date(parse.GetValue(on), "--on"), parse.GetValue(reference)!, Shared.OperatingSystemUser, ct);
            Shared.Say(parse.GetValue(json), new { Claim = parse.GetValue(number), Amount = recovery.Amount.Yuan, recovery.RecoveredOn, recovery.Reference },
                $"{parse.GetValue(number)} 的追回款 {recovery.Amount.ToDisplayString()} 元已于 {recovery.RecoveredOn:yyyy-MM-dd} 收回（{recovery.Reference}）");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>claims reasons</c>: the coded reasons for rejecting and returning a claim, the same list as the web's and the API's.</summary>
    private static Command Reasons()
    {
        var json = Shared.JsonOption();
        var command = new Command("reasons", "驳回、退回的原因代码清单") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
                Shared.WriteJson(new { Reject = ReviewReasons.Rejection, Return = ReviewReasons.Return });
            else
            {
                Console.WriteLine("驳回原因（claims reject --code）：");
                foreach (var r in ReviewReasons.Rejection)
                    Console.WriteLine($"  {r.Code}  {r.Name}");
                Console.WriteLine("退回补正原因（claims return --code）：");
                foreach (var r in ReviewReasons.Return)
                    Console.WriteLine($"  {r.Code}  {r.Name}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A review verb: the claim number, who acts (never the one who entered it), and why: a code of <paramref name="reasons"/> where given.</summary>
    private static Command Review(string name, string description, IReadOnlyList<ReviewReason>? reasons, bool needsReason,
        Func<ReviewClaims, string, string, string?, string?, bool, CancellationToken, Task<Claim>> act)
    {
        var number = new Argument<string>("NUMBER") { Description = "理赔编号" };
        var by = new Option<string>("--by") { Description = "经办人（复核人不能是录入人）", Required = true };
        var code = new Option<string?>("--code")
        {
            Description = "原因代码：" + string.Join("，", (reasons ?? []).Select(r => $"{r.Code} {r.Name}")),
            Required = true,
        };
        var reason = new Option<string?>("--reason") { Description = reasons is null ? "说明" : "说明（原因为“其他”时必填）", Required = needsReason };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command(name, description) { number, by, reason, db, json };
        var checkedDuplicates = new Option<bool>("--checked-duplicates") { Description = "已核对可能重复的理赔（同一会员、同一类事件、日期重叠），确认不是重复给付" };
        if (reasons is not null)
            command.Options.Add(code);
        if (name == "approve")
            command.Options.Add(checkedDuplicates);
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var claim = await act(new ReviewClaims(context, TimeProvider.System), parse.GetValue(number)!, parse.GetValue(by)!,
                parse.GetValue(code), parse.GetValue(reason), parse.GetValue(checkedDuplicates), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(new { claim.Number, State = claim.State.ToString() });
            else
                Console.WriteLine($"{claim.Number}：{Names.Of(claim.State)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var state = new Option<ClaimState?>("--state") { Description = "只列某状态：PendingReview、NothingPayable、Reversed…" };
        var take = new Option<int>("--take") { Description = "最多列出几件（最新的在前）", DefaultValueFactory = _ => 50 };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "列出理赔") { state, take, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var claims = await new ClaimQueries(context).ListAsync(parse.GetValue(state), parse.GetValue(take), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(claims);
            else
                foreach (var c in claims)
                    Console.WriteLine($"{c.Number}\t{c.Member}（{c.IdNumber}）\t{c.EventDate:yyyy-MM-dd}\t{c.State}\t{c.Total:#,##0.00} 元\t{c.SetlId}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Overdue()
    {
        var days = new Option<int?>("--days") { Description = "按此天数计（默认按方案承诺的天数，未规定为 7 天）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("overdue", "超过方案承诺天数仍未支付的理赔") { days, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var overdue = await new ClaimQueries(context).OverdueAsync(parse.GetValue(days), TimeProvider.System.Now(), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(overdue);
            else if (overdue.Count == 0)
                Console.WriteLine(parse.GetValue(days) is { } d ? $"没有超过 {d} 天未支付的理赔" : "没有超过承诺天数未支付的理赔");
            foreach (var o in parse.GetValue(json) ? [] : overdue)
                Console.WriteLine($"{o.Claim.Number}\t{o.Claim.Member}\t{o.Claim.State}\t{o.Claim.Total:#,##0.00} 元\t已 {o.Days} 天");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var number = new Argument<string>("NUMBER") { Description = "理赔编号，如 C2026000123" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("show", "显示一件理赔及每笔给付的计算过程") { number, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var view = await new ClaimQueries(context).ShowAsync(parse.GetValue(number)!, ct);
            if (view is null)
            {
                await Console.Error.WriteLineAsync($"没有编号为 {parse.GetValue(number)} 的理赔");
                return ExitCodes.Failed;
            }
            if (parse.GetValue(json))
            {
                Shared.WriteJson(view);
                return ExitCodes.Ok;
            }
            var c = view.Claim;
            Console.WriteLine($"{c.Number}  {c.Member}（{c.IdNumber}）  {c.EventDate:yyyy-MM-dd}  {c.State}  合计 {c.Total:#,##0.00} 元  结算 {c.SetlId}");
            foreach (var line in view.Lines)
                Console.WriteLine($"  {line.Plan}{(line.Benefit is null ? "" : " · " + line.Benefit)}：{line.Explanation}");
            if (view.PossibleDuplicates.Count > 0)
                Console.WriteLine($"  可能重复：{string.Join("、", view.PossibleDuplicates)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
