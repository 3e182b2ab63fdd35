using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Premiums;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Ledger;

/// <summary>Closed books stay closed: months close in order, nothing is posted on or before the latest, and reopening takes two people.</summary>
public sealed class BooksClosingTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 10, 5, 2, 0, 0, TimeSpan.Zero));
    private static DateTime Now => Clock.GetUtcNow().UtcDateTime;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<CloseOutcome> CloseAsync(TestDatabase database, int year, int month)
    {
        await using var db = database.NewContext();
        return await new Books(db).CloseAsync(year, month, TestActors.As("finance1"), Now, Ct);
    }

    private static async Task ReopenAsync(TestDatabase database, int year, int month, string by, string approvedBy)
    {
        await using var db = database.NewContext();
        await new Books(db).ReopenAsync(year, month, by, approvedBy, Now, Ct);
    }

    private static async Task<List<string>> ClosedAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return [.. (await db.ClosedPeriods.OrderBy(p => p.Year).ThenBy(p => p.Month).Select(p => new { p.Year, p.Month }).ToListAsync(Ct))
            .Select(p => $"{p.Year}-{p.Month:D2}")];
    }

    private static async Task<string> PremiumAsync(TestDatabase database, DateOnly paidOn, string reference)
    {
        await using var db = database.NewContext();
        var error = await Record.ExceptionAsync(() =>
            new PremiumDesk(db, Clock).RecordAsync(PayerRef.Unit(Seed.UnitA), new DateOnly(2025, 5, 1), Money.FromYuan(60), paidOn, reference, TestActors.Tester, Ct));
        return error is InvalidInputException invalid ? Assert.Single(invalid.Problems).Message : error?.Message ?? "recorded";
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PostAsync_WhenDatedOnOrBeforeTheLatestClosedMonth_IsRefused_AndTheEventWithIt(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await CloseAsync(database, 2026, 9);
        int entries;
        await using (var db = database.NewContext())
            entries = await db.JournalEntries.CountAsync(Ct);

        var lastYear = await PremiumAsync(database, new DateOnly(2024, 12, 31), "OLD");
        var closedMonth = await PremiumAsync(database, new DateOnly(2026, 9, 30), "SEPT");
        var open = await PremiumAsync(database, new DateOnly(2026, 10, 1), "OCT");

        Assert.Equal("2024-12 早于已结账的 2026-09，不能再记账（2024-12-31 收到会费 OLD）；如确需入账，请经办人改记在 2026-10 或以后的日期", lastYear);
        Assert.StartsWith("2026-09 已结账，不能再记账（2026-09-30 收到会费 SEPT）", closedMonth);
        Assert.Equal("recorded", open);
        await using var check = database.NewContext();
        Assert.Equal(["OCT"], await check.PremiumPayments.Where(p => p.Reference != "ALL").Select(p => p.Reference).ToListAsync(Ct));
        Assert.Equal(entries + 1, await check.JournalEntries.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CloseAsync_OutOfOrder_IsRefused_AndAClosedMonthClosesOnce(string provider)
    {
        await using var database = await PaidCityAsync(provider);

        var start = await CloseAsync(database, 2026, 7);
        var skip = await Assert.ThrowsAsync<InvalidInputException>(() => CloseAsync(database, 2026, 9));
        var next = await CloseAsync(database, 2026, 8);
        var again = await CloseAsync(database, 2026, 8);
        var earlier = await CloseAsync(database, 2026, 7);
        var beforeTheBooks = await CloseAsync(database, 2025, 1);
        var notEnded = await Assert.ThrowsAsync<InvalidInputException>(() => CloseAsync(database, 2026, 10));

        Assert.Equal(new CloseOutcome(true, "2026-07 已结账"), start);
        Assert.Equal("须按月依次结账：已结账至 2026-07，下一个应结账的是 2026-08，不能结 2026-09", Assert.Single(skip.Problems).Message);
        Assert.Equal(new CloseOutcome(true, "2026-08 已结账"), next);
        Assert.Equal(new CloseOutcome(false, "2026-08 已结账，未作改动"), again);
        Assert.Equal(new CloseOutcome(false, "2026-07 已结账（已结账至 2026-08），未作改动"), earlier);
        Assert.False(beforeTheBooks.Closed);
        Assert.Equal("2026-10 尚未结束，不能结账", Assert.Single(notEnded.Problems).Message);
        Assert.Equal(["2026-07", "2026-08"], await ClosedAsync(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CloseAsync_SentTwiceAtOnce_ClosesTheMonthOnce(string provider)
    {
        await using var database = await PaidCityAsync(provider);

        for (var month = 5; month <= 9; month++)
        {
            var outcomes = await Task.WhenAll(CloseAsync(database, 2026, month), CloseAsync(database, 2026, month));

            Assert.Single(outcomes, o => o.Closed);
            Assert.Single(outcomes, o => !o.Closed && o.Message == $"2026-{month:D2} 已结账，未作改动");
        }
        Assert.Equal(["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"], await ClosedAsync(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ReopenAsync_TakesTwoPeople_AndIsAudited(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await CloseAsync(database, 2026, 9);

        var alone = await Assert.ThrowsAsync<InvalidInputException>(() => ReopenAsync(database, 2026, 9, "finance1", "Finance1"));
        var unapproved = await Assert.ThrowsAsync<InvalidInputException>(() => ReopenAsync(database, 2026, 9, "finance1", " "));
        Assert.Equal(["2026-09"], await ClosedAsync(database));
        await ReopenAsync(database, 2026, 9, "finance1", "head");
        var notClosed = await Assert.ThrowsAsync<InvalidInputException>(() => ReopenAsync(database, 2026, 9, "finance1", "head"));

        Assert.Equal("反结账须由另一人批准，finance1 不能批准自己的反结账", Assert.Single(alone.Problems).Message);
        Assert.Equal("应为 YYYY-MM，并写明反结账人和批准人", Assert.Single(unapproved.Problems).Message);
        Assert.Equal("2026-09 未结账，无需反结账", Assert.Single(notClosed.Problems).Message);
        Assert.Empty(await ClosedAsync(database));
        await using var db = database.NewContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "反结账", Ct);
        Assert.Equal(("finance1", "账期 2026-09", "finance1 反结账 2026-09（原由 finance1 结账），经 head 批准"), (audit.User, audit.Subject, audit.Detail));
        Assert.Equal("recorded", await PremiumAsync(database, new DateOnly(2026, 9, 30), "SEPT"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ReopenAsync_OnlyTheLatestClosedMonth_Reopens(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await CloseAsync(database, 2026, 8);
        await CloseAsync(database, 2026, 9);

        var older = await Assert.ThrowsAsync<InvalidInputException>(() => ReopenAsync(database, 2026, 8, "finance1", "head"));
        await ReopenAsync(database, 2026, 9, "finance1", "head");
        var afterIt = await PremiumAsync(database, new DateOnly(2026, 8, 31), "AUG");
        await ReopenAsync(database, 2026, 8, "finance2", "head");

        Assert.Equal("只能反结账最近结账的月份 2026-09，不能反结账 2026-08", Assert.Single(older.Problems).Message);
        Assert.StartsWith("2026-08 已结账，不能再记账", afterIt);
        Assert.Empty(await ClosedAsync(database));
        await using var db = database.NewContext();
        Assert.Equal(["账期 2026-09", "账期 2026-08"], await db.AuditEntries.Where(a => a.Action == "反结账").OrderBy(a => a.Id).Select(a => a.Subject).ToListAsync(Ct));
    }

    [Fact]
    public async Task Cli_ClosesInOrder_AndReopensWithASecondPerson()
    {
        await using var database = await PaidCityAsync("sqlite");
        var connection = database.Database.ConnectionString;

        var close = await CliRunner.RunAsync("ledger", "close", "2024-05", "--by", "finance1", "--db", connection);
        var again = await CliRunner.RunAsync("ledger", "close", "2024-05", "--by", "finance1", "--db", connection);
        var skip = await CliRunner.RunAsync("ledger", "close", "2024-07", "--by", "finance1", "--db", connection);
        var alone = await CliRunner.RunAsync("ledger", "reopen", "2024-05", "--by", "finance1", "--approved-by", "finance1", "--db", connection);
        var reopen = await CliRunner.RunAsync("ledger", "reopen", "2024-05", "--by", "finance1", "--approved-by", "head", "--db", connection);

        Assert.Equal((0, "2024-05 已结账"), (close.ExitCode, close.Stdout.Trim()));
        Assert.Equal((0, "2024-05 已结账，未作改动"), (again.ExitCode, again.Stdout.Trim()));
        Assert.Equal(2, skip.ExitCode);
        Assert.Contains("须按月依次结账", skip.Stderr);
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("须由另一人批准", alone.Stderr);
        Assert.Equal((0, "2024-05 已反结账（finance1 经 head 批准）"), (reopen.ExitCode, reopen.Stdout.Trim()));
        Assert.Empty(await ClosedAsync(database));
    }
}
