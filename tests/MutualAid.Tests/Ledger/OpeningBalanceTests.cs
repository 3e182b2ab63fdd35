using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Reports;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Ledger;

/// <summary>期初余额: the fund's money brought forward once, before every other entry, and the books still agree with it.</summary>
public sealed class OpeningBalanceTests
{
    private static readonly DateTime At = new(2024, 7, 1, 2, 0, 0, DateTimeKind.Utc);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpeningBalance_BeforeTheFirstEntry_IsPostedOnce_AndTheBooksAgree(string provider)
    {
        // Unit A's premium is in the books, received on 1 April 2024.
        await using var database = await PaidCityAsync(provider);
        Money reserveBefore;
        await using (var db = database.NewContext())
            reserveBefore = Money.FromYuan((await new FundReports(db).ReserveAsync(new DateOnly(2024, 12, 31), Ct)).Reserve);
        var opening = Money.FromYuan(100_000m);

        await using (var db = database.NewContext())
        {
            var late = await Assert.ThrowsAsync<InvalidInputException>(() =>
                new Books(db).OpeningBalanceAsync(new DateOnly(2024, 6, 30), opening, "上年结转", TestActors.Tester, At, Ct));
            Assert.Equal(("期初余额", "须早于账上第一笔凭证（2024-04-01），不能记在 2024-06-30"), (late.Problems[0].Path, late.Problems[0].Message));
        }
        await using (var db = database.NewContext())
            await new Books(db).OpeningBalanceAsync(new DateOnly(2024, 1, 1), opening, "2023 年末互助金结余结转（期初余额）", TestActors.Tester, At, Ct);
        await using (var db = database.NewContext())
        {
            var twice = await Assert.ThrowsAsync<InvalidInputException>(() =>
                new Books(db).OpeningBalanceAsync(new DateOnly(2023, 12, 31), opening, "上年结转", TestActors.Tester, At, Ct));
            Assert.Contains("已于 2024-01-01 登记期初余额", twice.Problems[0].Message, StringComparison.Ordinal);
            var none = await Assert.ThrowsAsync<InvalidInputException>(() =>
                new Books(db).OpeningBalanceAsync(new DateOnly(2023, 12, 31), Money.Zero, "上年结转", TestActors.Tester, At, Ct));
            Assert.Equal("期初余额", none.Problems[0].Path);
        }

        await using var check = database.NewContext();
        var premiums = Money.Sum(await check.PremiumPayments.Select(p => p.Amount).ToListAsync(Ct));
        Assert.Equal(opening + premiums, await new LedgerCheck(check).BalanceAsync(Accounts.Bank, Ct));
        var books = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
        Assert.Contains(books.Figures, f => f.What.StartsWith("银行存款 = 期初余额", StringComparison.Ordinal));
        Assert.Equal(reserveBefore + opening, Money.FromYuan((await new FundReports(check).ReserveAsync(new DateOnly(2024, 12, 31), Ct)).Reserve));
        Assert.Equal(1, await check.JournalEntries.CountAsync(e => e.Kind == EntryKind.OpeningBalance, Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "登记期初余额", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoOpeningBalances_AtOnce_AreOne_AndTheDatabaseRefusesASecond(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var opening = Money.FromYuan(50_000m);
        await using var first = database.NewContext();
        await using var second = database.NewContext();

        var results = await Task.WhenAll(new[] { first, second }.Select(async db =>
        {
            try
            {
                await new Books(db).OpeningBalanceAsync(new DateOnly(2024, 1, 1), opening, "上年结转", TestActors.Tester, At, Ct);
                return null;
            }
            catch (InvalidInputException e)
            {
                return e.Problems[0].Path;
            }
        }));

        Assert.Equal([null, "期初余额"], results.Order());
        await using var check = database.NewContext();
        Assert.Equal(1, await check.JournalEntries.CountAsync(e => e.Kind == EntryKind.OpeningBalance, Ct));
        // Past the handler's own check, the unique index still holds: a second opening balance is not written.
        check.JournalEntries.Add(new JournalEntry(new DateOnly(2023, 12, 31), EntryKind.OpeningBalance, null, "绕过检查",
            [Posting.Dr(Accounts.Bank, opening), Posting.Cr(Accounts.Reserve, opening)], At));
        await Assert.ThrowsAsync<DbUpdateException>(() => check.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Cli_RegistersTheOpeningBalanceOnce()
    {
        await using var database = await PaidCityAsync("sqlite");
        var connection = database.Database.ConnectionString;

        var first = await CliRunner.RunAsync("ledger", "opening", "--date", "2024-01-01", "--amount", "400000", "--by", "finance1", "--db", connection);
        var again = await CliRunner.RunAsync("ledger", "opening", "--date", "2023-12-31", "--amount", "400000", "--by", "finance1", "--db", connection);
        var bad = await CliRunner.RunAsync("ledger", "opening", "--date", "2023-12-31", "--amount", "四十万", "--by", "finance1", "--db", connection);

        Assert.Equal((0, "期初余额 400,000.00 元已记于 2024-01-01"), (first.ExitCode, first.Stdout.Trim()));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("已于 2024-01-01 登记期初余额", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--amount", bad.Stderr, StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal(Money.FromYuan(400_000m), (await check.JournalEntries.SingleAsync(e => e.Kind == EntryKind.OpeningBalance, Ct)).Totals.Debits);
    }
}
