using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Notifications;

namespace MutualAid.Cli;

/// <summary><c>mutualaid notices send | list</c>: the SMS outbox.</summary>
internal static class NoticeCommands
{
    public static Command Create() => new("notices", "短信通知（发件箱）") { Send(), List(), Resend() };

    private static Command Resend()
    {
        var id = new Argument<long>("ID") { Description = "短信编号（notices list 中的 #）" };
        var sender = new Option<string>("--sender") { Description = $"发送方式：{SmsSenders.Choices}", DefaultValueFactory = _ => "console" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("resend", "立即重发一条发送失败的短信（再试一次）") { id, sender, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var sms = SmsSenders.Parse(parse.GetValue(sender), "--sender");
            var result = await new NoticeDispatcher(context, sms, TimeProvider.System).ResendAsync(parse.GetValue(id), Shared.OperatingSystemUser, null, ct);
            Shared.Say(parse.GetValue(json), result, result.Sent ? $"短信 #{parse.GetValue(id)} 已重发" : $"短信 #{parse.GetValue(id)} 仍未发出：{result.Error}");
            return result.Sent ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken));
        return command;
    }

    private static Command Send()
    {
        var sender = new Option<string>("--sender") { Description = $"发送方式：{SmsSenders.Choices}；正式环境接短信网关", DefaultValueFactory = _ => "console" };
        var take = new Option<int>("--take") { Description = "本次最多发送几条", DefaultValueFactory = _ => 500 };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("send", "发送到期的短信，失败的按退避重试") { sender, take, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var sms = SmsSenders.Parse(parse.GetValue(sender), "--sender");
            var report = await new NoticeDispatcher(context, sms, TimeProvider.System).SendDueAsync(parse.GetValue(take), ct);
            if (parse.GetValue(json))
                Shared.WriteJson(report);
            else
                Console.WriteLine($"已发送 {report.Sent} 条，失败待重试 {report.Failed - report.GaveUp} 条，放弃 {report.GaveUp} 条");
            return report.GaveUp > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command List()
    {
        var state = new Option<string>("--state") { Description = "pending（待发）、sent（已发）、failed（已放弃）", DefaultValueFactory = _ => "pending" };
        var take = new Option<int>("--take") { Description = "最多列出几条", DefaultValueFactory = _ => 50 };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var command = new Command("list", "列出短信") { state, take, db, json };
        command.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var notices = parse.GetValue(state) switch
            {
                "pending" => context.Notices.Where(n => n.SentAt == null && n.GaveUpAt == null),
                "sent" => context.Notices.Where(n => n.SentAt != null),
                "failed" => context.Notices.Where(n => n.GaveUpAt != null),
                var other => throw new InvalidInputException([new Problem("--state", $"“{other}”应为 pending、sent 或 failed")]),
            };
            var rows = await notices.AsNoTracking().OrderByDescending(n => n.Id).Take(parse.GetValue(take))
                .Select(n => new { n.Id, n.Phone, Topic = n.Topic.ToString(), n.Text, n.Attempts, n.NextAttemptAt, n.SentAt, n.LastError })
                .ToListAsync(ct);
            if (parse.GetValue(json))
                Shared.WriteJson(rows);
            else
                foreach (var n in rows)
                    Console.WriteLine($"#{n.Id}\t{n.Phone}\t{n.Topic}\t第 {n.Attempts} 次\t{n.Text}{(n.LastError is null ? "" : "\t" + n.LastError)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
