using MutualAid.Notifications;

namespace MutualAid.Web;

/// <summary>
/// The SMS "gateway" of the demo: nothing leaves the machine; each message is written to the log and
/// kept for the request, so the page that asked for a code shows it (演示环境). Registered only with
/// the demo or <c>Sms:Sender=page</c>, never beside a real gateway.
/// </summary>
public sealed partial class ShownSms(ILogger<ShownSms> logger) : ISmsSender
{
    private readonly List<OutgoingSms> _sent = [];

    public IReadOnlyList<OutgoingSms> Sent => _sent;

    public Task SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        _sent.Add(message);
        Log(logger, message.Phone, message.Text);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "短信（演示，未发出）→ {Phone}：{Text}")]
    private static partial void Log(ILogger logger, string phone, string text);
}
