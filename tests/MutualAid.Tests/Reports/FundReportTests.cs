using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Payments;
using MutualAid.Reports;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Reports;

/// <summary>
/// The council's reports against figures worked by hand. Five workers of unit A hold INPATIENT
/// (60 yuan) from 2024-05-01, 300 paid by the unit on 2024-04-01. Three stays in June: 3,000 of
/// personal share pays 2,600 (2,400 at 80% + 200 once a period, by rule); 200,000 pays 2,400 +
/// 19,700 (10% of 197,000) + 200 = 22,300 (a reviewer approves it); 1,000 pays 800 + 200 = 1,000.
/// All three paid through the bank. Expense 25,900.
/// </summary>
public sealed class FundReportTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestDatabase> YearAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using var db = database.NewContext();
        foreach (var member in await db.Members.ToListAsync(Ct))
            (member.BankName, member.BankAccount) = ("中国银行", $"60000000{member.Id:D4}");
        await db.SaveChangesAsync(Ct);
        object?[][] stays =
        [
            Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"),
            Settlement("S2", 2, new DateOnly(2024, 6, 12), 300000, 100000, "I10"),
            Settlement("S3", 3, new DateOnly(2024, 6, 14), 5000, 4000, "I10"),
        ];
        await new SettlementFeed(db, Clock).HandleAsync(RosterFiles.Write("csv", SettlementHeader, stays), Ct);
        var pending = await db.Claims.AsNoTracking().SingleAsync(c => c.State == ClaimState.PendingReview, Ct);
        await new ReviewClaims(db, Clock).ApproveAsync(pending.Number, TestActors.As("reviewer1"), null, Ct);
        var desk = new PaymentDesk(db, Clock);
        var batch = (await desk.CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!;
        await desk.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
        await desk.ExportAsync(batch.Code, Path.GetTempPath(), Ct);
        File.Delete(Path.Combine(Path.GetTempPath(), batch.FileName));
        await desk.ImportReturnAsync(RosterFiles.Write("csv", ["batch_id", "line_no", "status"],
            [.. batch.Payments.Select(p => new object?[] { batch.Code, p.LineNo, "success" })]), TestActors.Tester, Ct);
        return database;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reports_GiveTheFiguresWorkedByHand(string provider)
    {
        await using var database = await YearAsync(provider);
        await using var db = database.NewContext();
        var reports = new FundReports(db);
        await reports.SetBudgetAsync(2024, "INPATIENT", Money.FromYuan(320), Money.FromYuan(20000), TestActors.Tester, Clock.GetUtcNow().UtcDateTime, Ct);

        var income = await reports.IncomeExpenditureAsync(2024, Ct);
        var budget = Assert.Single(await reports.BudgetAsync(2024, Ct));
        var loss = Assert.Single(await reports.LossRatiosAsync(2024, Ct));
        var reserve = await reports.ReserveAsync(new DateOnly(2024, 12, 31), Ct);
        var adequacy = Assert.Single(await reports.AdequacyAsync(2024, 1, 0.05m, Ct));

        Assert.Equal(
            [new IncomeExpenditureRow("海曙区", "6011.Unit", "会费收入-单位", 300m, 0m), new IncomeExpenditureRow("海曙区", "6401.INPATIENT", "互助金支出-在职职工住院医疗互助保障", 0m, 25900m)],
            income);
        Assert.Equal(new BudgetRow("INPATIENT", 320m, 300m, 20000m, 25900m, 1.295m) { PlanName = "在职职工住院医疗互助保障" }, budget);
        // 25,900 / 300.
        Assert.Equal(new LossRatioRow("INPATIENT", 5, 300m, 25900m, 86.3333m) { PlanName = "在职职工住院医疗互助保障" }, loss);
        // 300 − 25,900 = −25,600 against 25,900 paid in the year.
        Assert.Equal(new ReserveReport(new DateOnly(2024, 12, 31), -25600m, 25900m, -0.9884m), reserve);
        // 25,900 over 5 unit-years is 5,180; with a 5% margin 5,439.00 against 60 today.
        Assert.Equal(new AdequacyRow("INPATIENT", 1, 5, 25900m, 60m, 5439m, 89.65m) { PlanName = "在职职工住院医疗互助保障" }, adequacy);
        // A year before anything happened has nothing.
        Assert.Empty(await reports.IncomeExpenditureAsync(2023, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task YearEnd_SharesADistrictsDeficit_WithThePool_Once(string provider)
    {
        await using var database = await YearAsync(provider);
        await using var db = database.NewContext();

        var first = await new MutualAid.Ledger.YearEnd(db, Clock).ShareDeficitsAsync(2024, TestActors.As("finance2"), Ct);
        var second = await new MutualAid.Ledger.YearEnd(db, Clock).ShareDeficitsAsync(2024, TestActors.As("finance2"), Ct);

        // 海曙区 took 300 and paid 25,900: a deficit of 25,600, half borne by the city pool (the example scheme's poolShare).
        Assert.Equal(new MutualAid.Ledger.DistrictResult("330203", "海曙区", 300m, 25900m, -25600m, 12800m, 12800m), Assert.Single(first.Districts));
        Assert.True(first.Posted);
        Assert.False(second.Posted);
        Assert.Equal(2, await db.JournalEntries.CountAsync(e => e.Kind == MutualAid.Ledger.EntryKind.PoolingShare, Ct));
        var income = await new FundReports(db).IncomeExpenditureAsync(2024, Ct);
        Assert.Contains(new IncomeExpenditureRow("海曙区", "6902", "统筹调剂收入", 12800m, 0m), income);
        Assert.Contains(new IncomeExpenditureRow("市级统筹", "6901", "统筹调剂支出", 0m, 12800m), income);
        // The fund as a whole is no richer: the transfers net to zero, and the books still agree.
        Assert.Equal(-25600m, (await new FundReports(db).ReserveAsync(new DateOnly(2024, 12, 31), Ct)).Reserve);
        Assert.True((await new MutualAid.Ledger.LedgerCheck(db).HandleAsync(Ct)).Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task YearEnd_SentTwiceAtOnce_PostsTheShareOnce(string provider)
    {
        await using var database = await YearAsync(provider);

        var (done, refused) = await database.AtOnceAsync(2, (db, i) => new MutualAid.Ledger.YearEnd(db, Clock).ShareDeficitsAsync(2024, TestActors.As($"finance{i}"), Ct));

        Assert.Equal((2, 0), (done, refused.Count));
        await using var check = database.NewContext();
        Assert.Equal(2, await check.JournalEntries.CountAsync(e => e.Kind == MutualAid.Ledger.EntryKind.PoolingShare, Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "年终统筹分担", Ct));
        Assert.True((await new MutualAid.Ledger.LedgerCheck(check).HandleAsync(Ct)).Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task YearEnd_WhenDecemberIsClosed_IsRefused_AndPostsNothing(string provider)
    {
        await using var database = await YearAsync(provider);
        await using var db = database.NewContext();
        await new MutualAid.Ledger.Books(db).CloseAsync(2024, 12, TestActors.As("finance1"), new DateTime(2025, 1, 5, 2, 0, 0, DateTimeKind.Utc), Ct);

        var error = await Assert.ThrowsAsync<MutualAid.Benefits.InvalidInputException>(() => new MutualAid.Ledger.YearEnd(db, Clock).ShareDeficitsAsync(2024, TestActors.As("finance2"), Ct));

        Assert.StartsWith("2024-12 已结账，年终统筹分担记在 2024-12-31，须在 12 月结账前记账", Assert.Single(error.Problems).Message);
        Assert.False(await db.JournalEntries.AnyAsync(e => e.Kind == MutualAid.Ledger.EntryKind.PoolingShare, Ct));
    }

    [Fact]
    public async Task Cli_ExportsAReportToExcel_WithChineseHeaders()
    {
        await using var database = await YearAsync("sqlite");
        var path = Path.Combine(Path.GetTempPath(), $"loss-{Guid.NewGuid():N}.xlsx");

        var result = await CliRunner.RunAsync("report", "loss-ratio", "--year", "2024", "--xlsx", path, "--db", database.Database.ConnectionString);

        Assert.Equal(0, result.ExitCode);
        var row = Assert.Single(MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>());
        Assert.Equal(["计划", "人期", "会费", "给付", "赔付率"], row.Keys);
        Assert.Equal(("在职职工住院医疗互助保障", 25900d), ((string)row["计划"], Convert.ToDouble(row["给付"], System.Globalization.CultureInfo.InvariantCulture)));
        File.Delete(path);
    }

    [Fact]
    public async Task Budget_ForAnUnknownPlan_IsRefused()
    {
        await using var database = await PaidCityAsync("sqlite");
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<MutualAid.Benefits.InvalidInputException>(() =>
            new FundReports(db).SetBudgetAsync(2024, "NOPE", Money.FromYuan(1), Money.FromYuan(1), TestActors.Tester, Clock.GetUtcNow().UtcDateTime, Ct));

        Assert.Equal("没有计划 NOPE", Assert.Single(error.Problems).Message);
    }
}
