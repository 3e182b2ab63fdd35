using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MutualAid.Access;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Notifications;

namespace MutualAid.Tests;

/// <summary>The SMS gateway of the tests (a true edge): keeps what was sent, and reads a code back.</summary>
internal sealed partial class TestSms : ISmsSender
{
    private readonly ConcurrentQueue<OutgoingSms> _sent = new();

    public IReadOnlyList<OutgoingSms> Sent => [.. _sent];

    public Task SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        _sent.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>The six digits of the last code sent to <paramref name="phone"/>.</summary>
    public string CodeTo(string phone) => Digits().Match(Sent.Last(s => s.Phone == phone).Text).Value;

    /// <summary>Opens an account as a person does: asks for the code, reads it from the phone, registers with it.</summary>
    public static async Task<User> RegisterAsync(MutualAidDbContext db, Registration input, string password, TimeProvider clock, CancellationToken cancellationToken)
    {
        var sms = new TestSms();
        await new RequestCode(db, sms, clock).HandleAsync(new CodeRequest(CodePurpose.Register, input.IdNumber, input.Name, input.Phone), TestActors.Tester, cancellationToken);
        return await new SelfRegistration(db, UserAdmin.For(db), clock).RegisterAsync(input with { Code = sms.CodeTo(sms.Sent[^1].Phone) }, password, TestActors.Tester, cancellationToken);
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex Digits();
}
