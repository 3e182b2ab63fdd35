using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Settlements;

/// <summary>The settlement file of ../shared/spec/exchange-files.md: every check has a bad row.</summary>
public sealed class SettlementImportTests
{
    private static readonly string[] Header = [.. ImportSettlements.Required, .. ImportSettlements.Optional];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A good hospital settlement of worker <paramref name="worker"/> (see <see cref="Seed.Workers"/>).</summary>
    private static object?[] Row(string setlId, int worker = 1, string total = "10000.00", string fund = "7000.00", string ownPay = "500.00", string overLimit = "100.00") =>
    [
        setlId, Seed.Worker(worker), $"职工{worker}", worker % 2 == 1 ? "2" : "1", "310", "21", "2024-06-01", "2024-06-10", "330203",
        "C50.9;I10", total, fund, ownPay, overLimit, (decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture) - decimal.Parse(fund, System.Globalization.CultureInfo.InvariantCulture)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), "2500.00",
        "宁波市第一医院", "2024-06-10 15:30:00", "0", null,
    ];

    private static async Task<TestDatabase> WithWorkersAsync(string provider)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        return database;
    }

    private static async Task<SettlementReport> ImportAsync(TestDatabase database, IEnumerable<object?[]> rows, string format = "csv")
    {
        await using var db = database.NewContext();
        return (await new SettlementFeed(db, new FakeTimeProvider()).HandleAsync(RosterFiles.Write(format, Header, rows), Ct)).Import;
    }

    [Theory]
    [MemberData(nameof(ImportRosterTests.ProvidersAndFormats), MemberType = typeof(ImportRosterTests))]
    public async Task Import_GoodRows_AreKeptAndTheSameFileTwiceChangesNothing(string provider, string format)
    {
        await using var database = await WithWorkersAsync(provider);
        object?[][] rows = [Row("S1", 1), Row("S2", 2)];

        var first = await ImportAsync(database, rows, format);
        var second = await ImportAsync(database, rows, format);

        Assert.Empty(first.Rejected);
        Assert.Equal((2, 0), (first.Imported, first.Duplicates));
        Assert.Equal((0, 2), (second.Imported, second.Duplicates));
        await using var db = database.NewContext();
        var settlement = await db.Settlements.SingleAsync(s => s.SetlId == "S1", Ct);
        var amounts = settlement.ToEvent("M").Amounts;
        Assert.Equal((EventKinds.Hospitalization, new DateOnly(2024, 6, 10)), (settlement.Kind, settlement.DischargeDate));
        Assert.Equal(Money.FromYuan(3000), amounts.EffectiveSelfPay);
        Assert.Equal(Money.FromYuan(2400), amounts.SelfPayInScope);
        Assert.Equal(Money.FromYuan(600), amounts.SelfPayOutOfScope);
        Assert.Equal(Money.FromYuan(2500), amounts.EffectiveCashPay);
        Assert.Equal(["C50.9", "I10"], settlement.ToEvent("M").Diagnoses);
    }

    public static TheoryData<string, string, string> BadRows() => new()
    {
        { "bad ID checksum", "certno", "校验位错误" },
        { "unknown member", "certno", "不是已登记的会员" },
        { "name mismatch", "psn_name", "与会员姓名" },
        { "gender mismatch", "gend", "与身份证号不符" },
        { "non-numeric amount", "medfee_sumamt", "应为金额" },
        { "negative amount", "fulamt_ownpay_amt", "不能为负数" },
        { "enddate before begndate", "enddate", "早于入院日期" },
        { "personal part not total less fund", "psn_part_amt", "应等于医疗费总额减基金支付" },
        { "refund of unknown settlement", "init_setl_id", "冲销的结算不存在" },
        { "bad date", "begndate", "应为日期" },
        { "bad division", "insu_admdvs", "6 位" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task Import_BadRow_IsRejectedWithItsLineAndTheRestImported(string @case, string column, string reason)
    {
        foreach (var provider in new[] { "sqlite", "postgres" })
        {
            if (provider == "postgres" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)))
                continue;
            await using var database = await WithWorkersAsync(provider);
            var bad = Row("BAD", 3);
            switch (@case)
            {
                case "bad ID checksum": bad[1] = ((string)bad[1]!)[..17] + (((string)bad[1]!)[17] == '0' ? "1" : "0"); break;
                case "unknown member": bad[1] = TestIds.Person(40, new DateOnly(1990, 1, 1), Gender.Female); break;
                case "name mismatch": bad[2] = "别人"; break;
                case "gender mismatch": bad[3] = "1"; break;
                case "non-numeric amount": bad[10] = "一万"; break;
                case "negative amount": bad[12] = "-5.00"; break;
                case "enddate before begndate": bad[7] = "2024-05-30"; break;
                case "personal part not total less fund": bad[14] = "2999.99"; break;
                case "refund of unknown settlement": (bad[18], bad[19]) = ("1", "NOPE"); break;
                case "bad date": bad[6] = "2024/06/01"; break;
                case "bad division": bad[8] = "3302"; break;
            }

            var report = await ImportAsync(database, [Row("S1", 1), bad, Row("S2", 2)]);

            var problem = Assert.Single(report.Rejected);
            Assert.Equal((3, column), (problem.Line, problem.Column));
            Assert.Contains(reason, problem.Reason);
            Assert.Equal(2, report.Imported);
        }
    }

    [Theory]
    [InlineData(4, "390", "insutype")]
    [InlineData(5, "11", "med_type")]
    public async Task Import_RowsOutsideTheScheme_AreSkippedAndReported(int column, string value, string name)
    {
        await using var database = await WithWorkersAsync("sqlite");
        var row = Row("S9", 1);
        row[column] = value;

        var report = await ImportAsync(database, [row]);

        Assert.Equal(name, Assert.Single(report.Skipped).Column);
        Assert.Equal(0, report.Imported);
        Assert.Empty(report.Rejected);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refund_MarksTheSettlementItRefunds_AndASecondRefundIsRejected(string provider)
    {
        await using var database = await WithWorkersAsync(provider);
        await ImportAsync(database, [Row("S1", 1)]);
        var refund = Row("R1", 1, total: "-10000.00", fund: "-7000.00", ownPay: "-500.00", overLimit: "-100.00");
        (refund[18], refund[19], refund[15]) = ("1", "S1", "-2500.00");
        var again = Row("R2", 1);
        (again[18], again[19]) = ("1", "S1");

        var report = await ImportAsync(database, [refund, again]);

        Assert.Equal((1, 1), (report.Imported, report.Refunds));
        Assert.Contains("已被 R1 冲销", Assert.Single(report.Rejected).Reason);
        await using var db = database.NewContext();
        Assert.Equal("R1", (await db.Settlements.SingleAsync(s => s.SetlId == "S1", Ct)).RefundedBySetlId);
    }

    [Fact]
    public async Task Import_ManyRows_StreamsInBatchesAndCatchesDuplicatesAcrossThem()
    {
        await using var database = await WithWorkersAsync("sqlite");
        var rows = Enumerable.Range(0, 12_000).Select(i => Row($"S{i % 11_000:D6}", i % 5 + 1)).ToList();

        var report = await ImportAsync(database, rows);

        Assert.Equal((12_000, 11_000, 1_000), (report.Rows, report.Imported, report.Duplicates));
        Assert.Empty(report.Rejected);
    }

    [Fact]
    public async Task Cli_WithARejectedRow_ExitsTwoAfterImportingTheRest()
    {
        await using var database = await WithWorkersAsync("sqlite");
        var bad = Row("BAD", 3);
        bad[2] = "别人";
        var file = RosterFiles.Write("csv", Header, [Row("S1", 1), bad]);

        var run = await CliRunner.RunAsync("import", "settlements", file, "--db", database.Database.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("未导入 第 3 行 psn_name“别人”：与会员姓名“职工3”不符", run.Stderr);
        Assert.Contains("导入 1", run.Stdout);
    }

    [Fact]
    public async Task Import_FileWithoutTheSpecsColumns_NamesTheMissingOnes()
    {
        await using var database = await WithWorkersAsync("sqlite");

        var error = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new SettlementFeed(db, new FakeTimeProvider()).HandleAsync(RosterFiles.Write("csv", ["setl_id", "certno"], [["S1", Seed.Worker(1)]]), Ct);
        });

        Assert.Contains("psn_name", Assert.Single(error.Problems).Message);
    }
}
