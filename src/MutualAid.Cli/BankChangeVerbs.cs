using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;

namespace MutualAid.Cli;

/// <summary>
/// <c>member bank-change list | confirm | cancel</c>: a member's bank-card changes, and a second clerk's
/// 复核 or 撤销 of one that waits, through the same handler as the member page. <c>--by</c> names a
/// stored clerk's account, whose scope counts as on the web.
/// </summary>
internal static class BankChangeVerbs
{
    public static Command Create() => new("bank-change", "银行卡变更：查看、复核、撤销") { List(), Confirm(), Cancel() };

    private static Command List()
    {
        var id = new Argument<string>("ID") { Description = "会员身份证号" };
        var by = new Option<string>("--by") { Description = "查看人（已登记的用户名）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "一名会员的银行卡变更，最新的在前") { id, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var scope = await Shared.ScopeAsync(context, parse.GetValue(by)!, ct);
            var number = parse.GetValue(id)!.Trim().ToUpperInvariant();
            var memberId = await scope.Members(context).Where(m => m.IdNumber == number).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct)
                ?? throw new InvalidInputException("ID", $"“{parse.GetValue(id)}”不是 {scope.UserName} 范围内已登记的会员");
            var now = TimeProvider.System.Now();
            var changes = await new ChangeBankAccount(context, TimeProvider.System).OfMemberAsync(scope, memberId, ct);
            if (parse.GetValue(json))
                Shared.WriteJson(changes.Select(c => new
                {
                    c.Id, State = c.State.ToString(), StateName = c.StateName(now), c.Description, Source = Names.Of(c.Source), c.Reason, c.MadeBy, c.MadeAt, c.EffectiveAt, c.DecidedBy, c.DecidedAt,
                }));
            else if (changes.Count == 0)
                Console.WriteLine("没有银行卡变更");
            else
                foreach (var c in changes)
                    Console.WriteLine($"{c.Subject}\t{c.StateName(now)}\t{c.Description}\t{Names.Of(c.Source)}，{c.MadeBy} 于 {BeijingTime.Local(c.MadeAt):yyyy-MM-dd HH:mm} 办理"
                        + $"（原因：{c.Reason}）\t{BeijingTime.Local(c.EffectiveAt):yyyy-MM-dd HH:mm} 起生效" + (c.DecidedBy is null ? "" : $"\t{c.DecidedBy} 处理"));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Confirm()
    {
        var change = new Argument<long>("CHANGE") { Description = "变更编号（member bank-change list 所列）" };
        var by = new Option<string>("--by") { Description = "复核的经办人（已登记的用户名，不能是办理变更的人）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("confirm", "复核一项待生效的银行卡变更：新卡即用于发放") { change, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var clerk = parse.GetValue(by)!;
            var done = await new ChangeBankAccount(context, TimeProvider.System).ConfirmAsync(await Shared.ScopeAsync(context, clerk, ct), parse.GetValue(change), Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { done.Id, State = done.State.ToString(), done.DecidedBy },
                $"{done.Subject} 已复核，新卡（{done.NewBankName} 尾号 {done.NewAccountTail}）即用于发放");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Cancel()
    {
        var change = new Argument<long>("CHANGE") { Description = "变更编号（member bank-change list 所列）" };
        var reason = new Option<string>("--reason") { Description = "撤销原因", Required = true };
        var by = new Option<string>("--by") { Description = "撤销的经办人（已登记的用户名，不能是办理变更的人）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("cancel", "撤销一项待生效的银行卡变更：恢复原来的银行卡") { change, reason, by, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var clerk = parse.GetValue(by)!;
            var done = await new ChangeBankAccount(context, TimeProvider.System).CancelAsync(await Shared.ScopeAsync(context, clerk, ct), parse.GetValue(change),
                parse.GetValue(reason), Auditing.Actor.Cli(clerk), ct);
            Shared.Say(parse.GetValue(json), new { done.Id, State = done.State.ToString(), done.DecidedBy },
                $"{done.Subject} 已撤销，恢复为 {Masks.Account(done.OldBankName, done.OldAccount)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
