using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Notifications;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>The SMS outbox: written with the change, sent once, retried with backoff, given up to a person.</summary>
public sealed class NoticeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Records what it is given; fails the first <paramref name="failures"/> calls.</summary>
    private sealed class RecordingSender(int failures = 0) : ISmsSender
    {
        private int _calls;

        public ConcurrentBag<OutgoingSms> Sent { get; } = [];

        public async Task SendAsync(OutgoingSms message, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (Interlocked.Increment(ref _calls) <= failures)
                throw new HttpRequestException("网关超时");
            Sent.Add(message);
        }
    }

    private static async Task<TestDatabase> WithNoticesAsync(string provider, int count)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var member = await db.Members.FirstAsync(Ct);
        db.Notices.AddRange(Enumerable.Range(1, count).Select(i => new Notice(member.Id, "13800000001", NoticeTopic.ClaimApproved, null, $"第 {i} 条", Start.UtcDateTime)));
        await db.SaveChangesAsync(Ct);
        return database;
    }

    private static readonly DateTimeOffset Start = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoDispatchersAtOnce_SendEachNoticeOnce(string provider)
    {
        await using var database = await WithNoticesAsync(provider, 60);
        var sender = new RecordingSender();
        var clock = new FakeTimeProvider(Start);

        var reports = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            return await new NoticeDispatcher(db, sender, clock).SendDueAsync(100, Ct);
        }, Ct)));

        Assert.Equal(60, reports.Sum(r => r.Sent));
        Assert.Equal(60, sender.Sent.Select(s => s.Key).Distinct().Count());
        Assert.Equal(60, sender.Sent.Count);
        await using var check = database.NewContext();
        Assert.Equal(60, await check.Notices.CountAsync(n => n.SentAt != null && n.LeaseOwner == null && n.Attempts == 1, Ct));
        // Nothing is due any more.
        await using var again = database.NewContext();
        Assert.Equal(0, (await new NoticeDispatcher(again, sender, clock).SendDueAsync(100, Ct)).Sent);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFailure_IsRetriedAfterTheBackoff_AndGivenUpAfterTheLastAttempt(string provider)
    {
        await using var database = await WithNoticesAsync(provider, 1);
        var clock = new FakeTimeProvider(Start);
        var failing = new RecordingSender(failures: int.MaxValue);
        async Task<DispatchReport> Run(ISmsSender sender)
        {
            await using var db = database.NewContext();
            return await new NoticeDispatcher(db, sender, clock).SendDueAsync(10, Ct);
        }

        Assert.Equal(new DispatchReport(0, 1, 0), await Run(failing));
        // Not due again before its minute has passed.
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new DispatchReport(0, 0, 0), await Run(failing));
        for (var attempt = 2; attempt < NoticeDispatcher.MaxAttempts; attempt++)
        {
            clock.Advance(NoticeDispatcher.Backoff(attempt - 1));
            Assert.Equal(new DispatchReport(0, 1, 0), await Run(failing));
        }
        clock.Advance(NoticeDispatcher.Backoff(NoticeDispatcher.MaxAttempts - 1));
        Assert.Equal(new DispatchReport(0, 1, 1), await Run(failing));
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(new DispatchReport(0, 0, 0), await Run(new RecordingSender()));

        await using var check = database.NewContext();
        var notice = await check.Notices.SingleAsync(Ct);
        Assert.Equal((NoticeDispatcher.MaxAttempts, "网关超时", null), (notice.Attempts, notice.LastError, notice.SentAt));
        Assert.NotNull(notice.GaveUpAt);
    }

    [Fact]
    public void Backoff_DoublesFromAMinute_UpToSixHours() =>
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360],
            Enumerable.Range(1, 11).Select(n => NoticeDispatcher.Backoff(n).TotalMinutes));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFailureThenSuccess_SendsOnce(string provider)
    {
        await using var database = await WithNoticesAsync(provider, 1);
        var clock = new FakeTimeProvider(Start);
        var sender = new RecordingSender(failures: 1);

        for (var i = 0; i < 2; i++)
        {
            await using var db = database.NewContext();
            await new NoticeDispatcher(db, sender, clock).SendDueAsync(10, Ct);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(sender.Sent);
        await using var check = database.NewContext();
        Assert.Equal(2, (await check.Notices.SingleAsync(Ct)).Attempts);
    }

    [Fact]
    public async Task FileSender_TakesAKeyOnce_AsAGatewayDoes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sms-{Guid.NewGuid():N}.jsonl");
        try
        {
            await new FileSmsSender(path).SendAsync(new OutgoingSms("7", "13800000001", "您好"), Ct);
            // A dispatcher that died before recording sends again, from a new process.
            await new FileSmsSender(path).SendAsync(new OutgoingSms("7", "13800000001", "您好"), Ct);
            await new FileSmsSender(path).SendAsync(new OutgoingSms("8", "13800000001", "再见"), Ct);

            Assert.Equal(2, (await File.ReadAllLinesAsync(path, Ct)).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ReviewWritesTheNotice_AndARefusedReviewWritesNone(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        // Above the rule's limit: a person reviews it, and no SMS until then but the one that says it was taken.
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 300000, 100000, "I10")]);
        await using var db = database.NewContext();
        var number = (await db.Claims.SingleAsync(Ct)).Number;
        var review = new ReviewClaims(db, new FakeTimeProvider(Start));

        await Assert.ThrowsAsync<InvalidInputException>(() => review.ApproveAsync(number, TestActors.As(Claim.System), null, Ct));
        await review.RejectAsync(number, TestActors.As("reviewer1"), "R02", "不在保障范围", Ct);

        var notices = await db.Notices.OrderBy(n => n.Id).ToListAsync(Ct);
        Assert.Equal([NoticeTopic.ClaimSubmitted, NoticeTopic.ClaimRejected], notices.Select(n => n.Topic));
        Assert.Equal($"【职工互助保障】职工1您好，您的互助保障理赔 {number} 未获通过：不属于保障范围：不在保障范围。如有疑问请致电服务网点。", notices[1].Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AutomaticClaims_TellOnlyWhatPays_AndMembersWithAPhone(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            (await db.Members.SingleAsync(m => m.Name == "职工3", Ct)).Phone = null;
            await db.SaveChangesAsync(Ct);
        }

        await ImportAsync(database,
        [
            Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"),
            Settlement("S2", 2, new DateOnly(2023, 6, 10), 10000, 7000, "I10"),
            Settlement("S3", 3, new DateOnly(2024, 6, 10), 10000, 7000, "I10"),
        ]);

        await using var check = database.NewContext();
        var notice = await check.Notices.SingleAsync(Ct);
        Assert.Equal((NoticeTopic.ClaimApproved, "13800000001"), (notice.Topic, notice.Phone));
        Assert.Contains("2,600.00 元将于近日支付到您的银行卡", notice.Text);
    }
}
