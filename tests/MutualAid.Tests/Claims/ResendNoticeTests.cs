using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Notifications;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Claims;

/// <summary>重发: a person sends a failed SMS once more, once however many times it is asked at the same moment.</summary>
public sealed class ResendNoticeTests
{
    private static readonly DateTimeOffset Start = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class RecordingSender : ISmsSender
    {
        public ConcurrentBag<OutgoingSms> Sent { get; } = [];

        public async Task SendAsync(OutgoingSms message, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Sent.Add(message);
        }
    }

    private sealed class FailingSender : ISmsSender
    {
        public Task SendAsync(OutgoingSms message, CancellationToken cancellationToken) => throw new HttpRequestException("网关超时");
    }

    /// <summary>A city with one notice the gateway refused eight times: given up.</summary>
    private static async Task<(TestDatabase Database, long Notice)> GivenUpAsync(string provider, FakeTimeProvider clock)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var member = await db.Members.FirstAsync(Ct);
        var notice = new Notice(member.Id, "13800000001", NoticeTopic.ClaimApproved, null, "您的理赔已审批", Start.UtcDateTime);
        db.Notices.Add(notice);
        await db.SaveChangesAsync(Ct);
        for (var attempt = 1; attempt <= NoticeDispatcher.MaxAttempts; attempt++)
        {
            await new NoticeDispatcher(db, new FailingSender(), clock).SendDueAsync(10, Ct);
            clock.Advance(NoticeDispatcher.Backoff(attempt));
        }
        return (database, notice.Id);
    }

    private static UserScope Scope(string role) => new(1, "someone", "某人", new HashSet<string> { role }, null, null, null);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ResendAsync_TwiceAtOnce_SendsOnce_AndTellsTheOther(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var (database, id) = await GivenUpAsync(provider, clock);
        await using var _ = database;
        var sender = new RecordingSender();

        var (done, refused) = await database.AtOnceAsync(2, (db, i) =>
            new NoticeDispatcher(db, sender, clock).ResendAsync(id, TestActors.As($"clerk{i}"), Scope(Roles.Clerk), Ct));

        Assert.Equal(1, done);
        // The other is told the notice is being sent, or, if it came after, that it was sent.
        Assert.Matches("本次未重发|无需重发", Assert.Single(Assert.Single(refused).Problems).Message);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(sender.Sent).Key);
        await using var check = database.NewContext();
        var notice = await check.Notices.SingleAsync(n => n.Id == id, Ct);
        Assert.Equal((NoticeDispatcher.MaxAttempts + 1, (DateTime?)null), (notice.Attempts, notice.GaveUpAt));
        Assert.NotNull(notice.SentAt);
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "重发短信", Ct));

        // Sent, it is not sent again.
        await using var again = database.NewContext();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new NoticeDispatcher(again, sender, clock).ResendAsync(id, TestActors.Tester, null, Ct));
        Assert.Contains("无需重发", Assert.Single(error.Problems).Message, StringComparison.Ordinal);
        Assert.Single(sender.Sent);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ResendAsync_ByARoleThatDoesNotAnswerMembers_IsRefused_AndSendsNothing(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var (database, id) = await GivenUpAsync(provider, clock);
        await using var _ = database;
        var sender = new RecordingSender();
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new NoticeDispatcher(db, sender, clock).ResendAsync(id, TestActors.Tester, Scope(Roles.Finance), Ct));

        Assert.Equal("只有系统管理员和经办可以重发短信", Assert.Single(error.Problems).Message);
        Assert.Empty(sender.Sent);
    }
}
