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

    private static async Task<int> ClaimsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Claims.CountAsync(Ct);
    }

    [Theory]
    [InlineData("\"宁波市第一医院", "直到文件末尾都没有关闭", 1)]
    [InlineData("宁波\"第一医院", "引号只能出现在", 2)]
    [InlineData("\"宁波\"第一医院", "关闭后又跟着其他字符", 2)]
    public async Task Import_RecordWithBadQuoting_IsRejectedWithItsLineAndTheRestGetClaims(string hospital, string reason, int imported)
    {
        await using var database = await WithWorkersAsync("sqlite");
        var bad = Row("BAD", 3);
        bad[16] = hospital;

        var report = await ImportAsync(database, [Row("S1", 1), bad, Row("S2", 2)]);

        var problem = Assert.Single(report.Rejected);
        Assert.Equal((3, "fixmedins_name"), (problem.Line, problem.Column));
        Assert.Contains(reason, problem.Reason);
        Assert.Equal(imported, report.Imported);
        Assert.Equal(imported, await ClaimsAsync(database));
    }

    [Fact]
    public async Task Import_QuotedFieldOverTwoLines_IsReadAndTheRowsAfterKeepTheirPhysicalLines()
    {
        await using var database = await WithWorkersAsync("sqlite");
        var twoLines = Row("S1", 1);
        twoLines[16] = "\"宁波市\n第一医院\"\"东院\"\"\"";
        var bad = Row("BAD", 3);
        bad[2] = "别人";

        var report = await ImportAsync(database, [twoLines, bad]);

        Assert.Equal((4, "psn_name"), (Assert.Single(report.Rejected).Line, report.Rejected[0].Column));
        await using var db = database.NewContext();
        Assert.Equal("宁波市\n第一医院\"东院\"", (await db.Settlements.SingleAsync(Ct)).Hospital);
    }

    [Fact]
    public async Task Import_QuoteLeftOpenAfterAFullBatch_ReportsTheLinesItSwallowedAndEverySettlementGetsItsClaim()
    {
        await using var database = await WithWorkersAsync("sqlite");
        var rows = Enumerable.Range(0, 5_000).Select(i => Row($"S{i:D5}", i % 5 + 1)).ToList();
        var bad = Row("BAD", 3);
        bad[16] = "\"宁波市第一医院";
        rows.Add(bad);
        rows.AddRange(Enumerable.Range(0, 10).Select(i => Row($"T{i}", 1)));

        var report = await ImportAsync(database, rows);

        var problem = Assert.Single(report.Rejected);
        Assert.Equal(5_002, problem.Line);
        Assert.Contains("第 5002–5012 行未导入", problem.Reason);
        Assert.Equal((5_001, 5_000), (report.Rows, report.Imported));
        Assert.Equal(5_000, await ClaimsAsync(database));
    }

    [Theory]
    [MemberData(nameof(ImportRosterTests.ProvidersAndFormats), MemberType = typeof(ImportRosterTests))]
    public async Task Import_FieldOf20000Characters_IsRejectedNamingItsColumnAndTheRestImported(string provider, string format)
    {
        await using var database = await WithWorkersAsync(provider);
        var bad = Row("BAD", 3);
        bad[16] = new string('院', 20_000);

        var report = await ImportAsync(database, [Row("S1", 1), bad, Row("S2", 2)], format);

        var problem = Assert.Single(report.Rejected);
        Assert.Equal((3, "fixmedins_name"), (problem.Line, problem.Column));
        Assert.Contains("超过 4000 个字符", problem.Reason);
        Assert.Equal(2, report.Imported);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_TextLongerThanItsColumn_IsRejectedNamingTheColumnTheSameOnBothDatabases(string provider)
    {
        await using var database = await WithWorkersAsync(provider);
        var longId = Row(new string('9', 65), 3);
        var longDiagnoses = Row("S3", 4);
        longDiagnoses[9] = string.Join(";", Enumerable.Repeat("C50.9", 100));

        var report = await ImportAsync(database, [Row("S1", 1), longId, longDiagnoses, Row("S2", 2)]);

        Assert.Equal([(3, "setl_id", "超过 64 个字符"), (4, "diag_codes", "超过 500 个字符")], report.Rejected.Select(p => (p.Line, p.Column, p.Reason)));
        Assert.Equal(2, report.Imported);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_KnownSetlIdWithOtherContent_IsAConflictNotADuplicate(string provider)
    {
        await using var database = await WithWorkersAsync(provider);
        await ImportAsync(database, [Row("S1", 1), Row("S2", 2)]);
        var otherAmounts = Row("S1", 1, total: "12000.00");
        var otherMember = Row("S3", 2);
        var sameAgain = Row("S2", 2);

        var report = await ImportAsync(database, [Row("S3", 3), otherAmounts, otherMember, sameAgain]);

        Assert.Equal((1, 1), (report.Imported, report.Duplicates));
        Assert.Equal([3, 4], report.Rejected.Select(p => p.Line));
        Assert.All(report.Rejected, p => Assert.Equal("setl_id", p.Column));
        Assert.Contains("setl_id 已导入但内容不同（medfee_sumamt、psn_part_amt）", report.Rejected[0].Reason);
        Assert.Contains("certno", report.Rejected[1].Reason);
        await using var db = database.NewContext();
        Assert.Equal(Money.FromYuan(10000), (await db.Settlements.SingleAsync(s => s.SetlId == "S1", Ct)).Amounts.TotalCost);
    }

    public static TheoryData<string> NotWorkbooks() => ["zip of junk", "text file", "broken zip", "workbook of junk"];

    [Theory]
    [MemberData(nameof(NotWorkbooks))]
    public async Task Import_XlsxThatIsNotAWorkbook_IsRefusedNamingTheFile(string @case)
    {
        await using var database = await WithWorkersAsync("sqlite");
        var file = Path.Combine(Path.GetTempPath(), $"settlements-{Guid.NewGuid():N}.xlsx");
        switch (@case)
        {
            case "text file":
                await File.WriteAllTextAsync(file, string.Join(",", Header) + "\n", Ct);
                break;
            case "broken zip":
                await File.WriteAllBytesAsync(file, [(byte)'P', (byte)'K', 3, 4, .. new byte[200]], Ct);
                break;
            default:
                using (var zip = System.IO.Compression.ZipFile.Open(file, System.IO.Compression.ZipArchiveMode.Create))
                {
                    foreach (var entry in @case == "zip of junk" ? ["junk.bin"] : new[] { "xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml" })
                    {
                        await using var stream = await zip.CreateEntry(entry).OpenAsync(Ct);
                        await stream.WriteAsync("junk <not xml"u8.ToArray(), Ct);
                    }
                }
                break;
        }

        var error = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new SettlementFeed(db, new FakeTimeProvider()).HandleAsync(file, Ct);
        });

        var problem = Assert.Single(error.Problems);
        Assert.Equal(Path.GetFileName(file), problem.Path);
        Assert.Contains("Excel", problem.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Feed_RerunAfterSettlementsWereLeftWithoutClaims_MakesTheirClaims(string provider)
    {
        await using var database = await WithWorkersAsync(provider);
        var file = RosterFiles.Write("csv", Header, [Row("S1", 1), Row("S2", 2)]);
        // A run cut short after the import committed, before adjudication.
        await using (var db = database.NewContext())
            await new ImportSettlements(db, new FakeTimeProvider()).HandleAsync(file, Ct);
        Assert.Equal(0, await ClaimsAsync(database));

        FeedReport rerun;
        await using (var db = database.NewContext())
            rerun = await new SettlementFeed(db, new FakeTimeProvider()).HandleAsync(file, Ct);

        Assert.Equal((0, 2), (rerun.Import.Imported, rerun.Import.Duplicates));
        Assert.Equal(2, rerun.Claims.Claims);
        await using var query = database.NewContext();
        Assert.Equal(2, await query.Claims.CountAsync(c => c.SettlementId != null, Ct));
    }

    [Fact]
    public async Task Cli_WithAQuoteLeftOpen_ReportsTheLineWithoutAStackTrace()
    {
        await using var database = await WithWorkersAsync("sqlite");
        var bad = Row("BAD", 3);
        bad[16] = "\"宁波市第一医院";
        var file = RosterFiles.Write("csv", Header, [Row("S1", 1), bad]);

        var run = await CliRunner.RunAsync("import", "settlements", file, "--db", database.Database.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("未导入 第 3 行 fixmedins_name：引号不成对", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Contains("自动理赔 1 件", run.Stdout);
    }
}
