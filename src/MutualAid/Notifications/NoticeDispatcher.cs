using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Notifications;

/// <summary>One SMS as a gateway takes it; <see cref="Key"/> is the idempotency key (the notice's id).</summary>
public sealed record OutgoingSms(string Key, string Phone, string Text);

/// <summary>
/// Sends an SMS, or throws. A gateway must treat a second message with the same key as the
/// first (SMS gateways take a client message id for this): a dispatcher that dies after sending
/// and before recording it sends again, and that must not reach the member twice.
/// </summary>
public interface ISmsSender
{
    Task SendAsync(OutgoingSms message, CancellationToken cancellationToken);
}

public sealed record DispatchReport(int Sent, int Failed, int GaveUp);

/// <summary>
/// <c>mutualaid notices send</c>: takes the due notices under a lease (so two dispatchers never
/// hold the same one), sends each and records the outcome. A failure waits 1, 2, 4… minutes (at
/// most 6 hours) before the next try; after <see cref="MaxAttempts"/> the notice is given up and
/// listed for a person.
/// </summary>
public sealed class NoticeDispatcher(MutualAidDbContext db, ISmsSender sender, TimeProvider clock)
{
    public const int MaxAttempts = 8;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(360, Math.Pow(2, attempts - 1)));

    public async Task<DispatchReport> SendDueAsync(int take, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid();
        var now = clock.Now();
        var due = await db.Notices.Where(n => n.SentAt == null && n.GaveUpAt == null && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
            .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).Select(n => n.Id).Take(take).ToListAsync(cancellationToken);
        // The lease is taken only where nobody holds one, checked again by the update itself.
        await db.Notices.Where(n => due.Contains(n.Id) && n.SentAt == null && (n.LeaseUntil == null || n.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseOwner, owner).SetProperty(n => n.LeaseUntil, now + Lease), cancellationToken);
        var mine = await db.Notices.AsNoTracking().Where(n => n.LeaseOwner == owner).OrderBy(n => n.Id).ToListAsync(cancellationToken);

        int sent = 0, failed = 0, gaveUp = 0;
        foreach (var notice in mine)
        {
            var (ok, gaveUpNow, _) = await SendOneAsync(notice, owner, cancellationToken);
            (sent, failed, gaveUp) = (sent + (ok ? 1 : 0), failed + (ok ? 0 : 1), gaveUp + (gaveUpNow ? 1 : 0));
        }
        return new DispatchReport(sent, failed, gaveUp);
    }

    /// <summary>
    /// 重发: a person sends now a notice that failed (given up, or waiting for its next try), one
    /// more try with the same idempotency key. Staff may resend only with a role that answers members
    /// (administrator, clerk) and only within their scope; the CLI passes no scope. The lease is
    /// taken by a conditional update, so two resends at once (or a resend beside the dispatcher)
    /// send once: the other is told. The audit line records who and how it went.
    /// </summary>
    public async Task<ResendResult> ResendAsync(long id, Actor actor, UserScope? scope, CancellationToken cancellationToken)
    {
        var subject = $"短信 #{id}";
        if (scope is not null && !scope.Roles.Overlaps([Roles.Admin, Roles.Clerk]))
            throw new InvalidInputException(subject, "只有系统管理员和经办可以重发短信");
        var visible = scope is null ? db.Notices : db.Notices.Where(n => scope.Members(db).Select(m => m.Id).Contains(n.MemberId));
        var notice = await visible.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken)
            ?? throw new InvalidInputException(subject, "没有这条短信");
        if (notice.SentAt is { } sentAt)
            throw new InvalidInputException(subject, $"已于 {BeijingTime.Local(sentAt):yyyy-MM-dd HH:mm} 发送，无需重发");
        if (notice.LastError is null)
            throw new InvalidInputException(subject, "尚未发送失败，将按时发送，无需重发");
        var owner = Guid.NewGuid();
        var now = clock.Now();
        var taken = await db.Notices.Where(n => n.Id == id && n.SentAt == null && n.LastError != null && (n.LeaseUntil == null || n.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseOwner, owner).SetProperty(n => n.LeaseUntil, now + Lease).SetProperty(n => n.GaveUpAt, (DateTime?)null), cancellationToken);
        if (taken == 0)
            throw new InvalidInputException(subject, "正由他人重发或刚已发出，本次未重发，请刷新后查看");
        var fresh = await db.Notices.AsNoTracking().SingleAsync(n => n.Id == id, cancellationToken);
        var (ok, _, error) = await SendOneAsync(fresh, owner, cancellationToken);
        db.Audit(actor, clock.Now(), "重发短信", subject, $"{Masks.Phone(notice.Phone)}：" + (ok ? "已发送" : $"仍未发出（{error}）"));
        await db.SaveChangesAsync(cancellationToken);
        return new ResendResult(ok, error);
    }

    /// <summary>Sends one notice held under <paramref name="owner"/>'s lease and records the outcome.</summary>
    private async Task<(bool Sent, bool GaveUp, string? Error)> SendOneAsync(Notice notice, Guid owner, CancellationToken cancellationToken)
    {
        var attempts = notice.Attempts + 1;
        try
        {
            await sender.SendAsync(new OutgoingSms(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), notice.Phone, notice.Text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var at = clock.Now();
            var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            DateTime? giveUp = attempts >= MaxAttempts ? at : null;
            await db.Notices.Where(n => n.Id == notice.Id && n.LeaseOwner == owner).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Attempts, attempts).SetProperty(n => n.LastError, error)
                .SetProperty(n => n.NextAttemptAt, at + Backoff(attempts)).SetProperty(n => n.GaveUpAt, giveUp)
                .SetProperty(n => n.LeaseOwner, (Guid?)null).SetProperty(n => n.LeaseUntil, (DateTime?)null), cancellationToken);
            return (false, giveUp is not null, error);
        }
        var sentAt = clock.Now();
        await db.Notices.Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Attempts, attempts).SetProperty(n => n.SentAt, sentAt)
            .SetProperty(n => n.LeaseOwner, (Guid?)null).SetProperty(n => n.LeaseUntil, (DateTime?)null), cancellationToken);
        return (true, false, null);
    }
}

/// <summary>What a resend came to: sent, or the sender's error (the notice waits for its next try, or is given up again).</summary>
public sealed record ResendResult(bool Sent, string? Error);

/// <summary>The senders for development, by name: console (prints) or file:PATH (appends).</summary>
public static class SmsSenders
{
    public const string Choices = "console（打印）或 file:路径（追加到文件）";

    public static ISmsSender Parse(string? name, string field) => name switch
    {
        "console" => new ConsoleSmsSender(Console.Out),
        { } s when s.StartsWith("file:", StringComparison.Ordinal) && s.Length > 5 => new FileSmsSender(s[5..]),
        _ => throw new Benefits.InvalidInputException(field, $"“{name}”应为 console 或 file:路径"),
    };
}

/// <summary>For development: prints each SMS.</summary>
public sealed class ConsoleSmsSender(TextWriter output) : ISmsSender
{
    public Task SendAsync(OutgoingSms message, CancellationToken cancellationToken) =>
        output.WriteLineAsync($"短信 → {message.Phone}：{message.Text}（#{message.Key}）");
}

/// <summary>
/// For development and tests: appends each SMS as a JSON line to a file, and like a gateway
/// ignores a key it has already taken.
/// </summary>
public sealed class FileSmsSender(string path) : ISmsSender
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private HashSet<string>? _keys;

    public async Task SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        _keys ??= File.Exists(path)
            ? [.. (await File.ReadAllLinesAsync(path, cancellationToken)).Select(l => JsonSerializer.Deserialize<OutgoingSms>(l)!.Key)]
            : [];
        if (!_keys.Add(message.Key))
            return;
        await File.AppendAllTextAsync(path, JsonSerializer.Serialize(message, Readable) + "\n", cancellationToken);
    }
}
