using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Importing;

public sealed class ImportRosterTests
{
    private const string UnitA = Seed.UnitA;
    private static readonly string[] Header = Seed.RosterHeader;
    private static readonly DateOnly Start = Seed.Start;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ProvidersAndFormats() => new()
    {
        { "sqlite", "csv" }, { "sqlite", "xlsx" }, { "postgres", "csv" }, { "postgres", "xlsx" },
    };

    private static List<object?[]> Workers(int count = 5) => Seed.Workers(count);

    private static Task<TestDatabase> SeedAsync(string provider, int headcount = 5, int women = 3) => Seed.CityAsync(provider, headcount, women);

    private static async Task<ImportReport> ImportAsync(TestDatabase database, string path, string plans = "INPATIENT", bool skipInvalid = false)
    {
        await using var db = database.NewContext();
        var options = new RosterOptions(UnitA, null, plans.Length == 0 ? null : plans.Split(','), Start, SkipInvalid: skipInvalid);
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(path, options, TestActors.Tester, Ct);
    }

    private static async Task<(int Members, int Enrollments)> CountAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return (await db.Members.CountAsync(Ct), await db.Enrollments.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndFormats))]
    public async Task Import_GoodRoster_AddsTheMembersAndEnrolsThem(string provider, string format)
    {
        await using var database = await SeedAsync(provider);

        var report = await ImportAsync(database, RosterFiles.Write(format, Header, Workers()));

        Assert.True(report.Written);
        Assert.Empty(report.Problems);
        Assert.Equal((5, 5), (report.MembersAdded, report.Enrolled));
        Assert.Equal((5, 5), await CountAsync(database));
        await using var db = database.NewContext();
        var enrollment = await db.Enrollments.FirstAsync(Ct);
        Assert.Equal(new DateRange(Start, new DateOnly(2025, 4, 30)), enrollment.Period);
        Assert.Equal(Money.FromYuan(60), enrollment.Premium);
        Assert.Equal(Money.FromYuan(60), enrollment.Shares.Employer);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_WithBankCards_StoresThemAndALaterRosterChangesThem(string provider)
    {
        await using var database = await SeedAsync(provider);
        string[] header = [.. Header, "开户银行", "银行账号"];
        var rows = Workers().Select((r, i) => (object?[])[.. r, "中国银行", $"6217 8500 0000 000{i}"]).ToList();
        await ImportAsync(database, RosterFiles.Write("csv", header, rows));
        rows[0][4] = "中国农业银行";
        rows[0][5] = "6228480000000099";

        var again = await ImportAsync(database, RosterFiles.Write("csv", header, rows));

        Assert.Equal(1, again.MembersUpdated);
        await using var db = database.NewContext();
        var cards = await db.Members.OrderBy(m => m.IdNumber).Select(m => m.BankName + " " + m.BankAccount).ToListAsync(Ct);
        Assert.Contains("中国农业银行 6228480000000099", cards);
        Assert.Contains("中国银行 6217850000000001", cards);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndFormats))]
    public async Task Import_TheSameFileTwice_ChangesNothing(string provider, string format)
    {
        await using var database = await SeedAsync(provider);
        var file = RosterFiles.Write(format, Header, Workers());
        await ImportAsync(database, file);

        var again = await ImportAsync(database, file);

        Assert.Equal((0, 0, 5, 0, 5), (again.MembersAdded, again.MembersUpdated, again.MembersUnchanged, again.Enrolled, again.EnrollmentsUnchanged));
        Assert.Equal((5, 5), await CountAsync(database));
    }

    public static TheoryData<string, string, string> BadRosters() => new()
    {
        { "wrong check digit", "身份证号", "校验位错误" },
        { "birth date not matching", "出生日期", "与身份证号不符" },
        { "gender not matching", "性别", "与身份证号不符" },
        { "unknown unit", "单位统一社会信用代码", "没有这个单位" },
        { "same person twice", "身份证号", "与第 2 行是同一人" },
        { "age out of range", "在职职工住院医疗互助保障", "限 16–60 周岁" },
        { "man in women's plan", "女职工安康互助保障", "仅限女性" },
        { "text in a number column", "份数", "应为正整数" },
        { "bank account with letters", "银行账号", "8–30 位数字" },
    };

    [Theory]
    [MemberData(nameof(BadRosters))]
    public async Task Import_BadRoster_ReportsTheRowAndWritesNothing(string @case, string column, string reason)
    {
        foreach (var (provider, format) in new[] { ("sqlite", "csv"), ("sqlite", "xlsx"), ("postgres", "csv") })
        {
            if (provider == "postgres" && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)))
                continue;
            await using var database = await SeedAsync(provider, women: 5);
            var rows = Workers();
            string[] header = [.. Header, "性别", "出生日期", "单位统一社会信用代码", "份数", "银行账号"];
            var plans = "INPATIENT";
            var bad = rows[2] = [.. rows[2], null, null, null, null, null];
            switch (@case)
            {
                case "wrong check digit": bad[2] = ((string)bad[2]!)[..17] + (((string)bad[2]!)[17] == '0' ? "1" : "0"); break;
                case "birth date not matching": bad[5] = "1999-01-01"; break;
                case "gender not matching": bad[4] = "男"; break;
                case "unknown unit": bad[6] = TestIds.Unit(999); break;
                case "same person twice": bad[2] = rows[0][2]; break;
                case "age out of range": bad[2] = TestIds.Person(3, new DateOnly(1960, 1, 1), Gender.Female); break;
                case "man in women's plan": plans = "FEMALE"; break;
                case "text in a number column": bad[7] = "两份"; break;
                case "bank account with letters": bad[8] = "6222O2000"; break;
            }
            var file = RosterFiles.Write(format, header, rows);

            var report = await ImportAsync(database, file, plans);

            Assert.False(report.Written, $"{@case} on {provider}/{format}");
            Assert.Contains(report.Problems, p => p.Line > 1 && p.Column == column && p.Reason.Contains(reason, StringComparison.Ordinal));
            Assert.Equal((0, 0), await CountAsync(database));
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Import_EmptyFile_IsRefusedWithTheReason(string format)
    {
        await using var database = await SeedAsync("sqlite");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, RosterFiles.Write(format, Header, [])));

        Assert.Contains("没有数据行", Assert.Single(error.Problems).Message);
        Assert.Equal((0, 0), await CountAsync(database));
    }

    [Fact]
    public async Task Import_FileThatIsNotASpreadsheet_IsRefused()
    {
        await using var database = await SeedAsync("sqlite");
        var file = Path.Combine(Path.GetTempPath(), $"photo-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(file, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], Ct);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, file));

        Assert.Contains("不是有效的", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [InlineData("\"职工2", "引号不成对")]
    [InlineData("职工\"2", "引号只能出现在")]
    public async Task Import_RecordWithBadQuoting_IsAProblemWithItsLineAndNothingIsWritten(string name, string reason)
    {
        await using var database = await SeedAsync("sqlite");
        var rows = Workers();
        rows[1][1] = name;

        var report = await ImportAsync(database, RosterFiles.Write("csv", Header, rows));

        Assert.False(report.Written);
        var problem = Assert.Single(report.Problems, p => p.Line > 0);
        Assert.Equal((3, "姓名"), (problem.Line, problem.Column));
        Assert.Contains(reason, problem.Reason);
        Assert.Equal((0, 0), await CountAsync(database));
    }

    [Fact]
    public async Task Import_IdNumberTypedAsANumberInExcel_IsRefusedForThatRow()
    {
        await using var database = await SeedAsync("sqlite");
        var rows = Workers();
        rows[1][2] = double.Parse((string)rows[1][2]!, System.Globalization.CultureInfo.InvariantCulture);

        var report = await ImportAsync(database, RosterFiles.Write("xlsx", Header, rows));

        Assert.Contains(report.Problems, p => p.Line == 3 && p.Reason.Contains("数字格式", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_WithSkipInvalid_ImportsTheGoodRows(string provider)
    {
        await using var database = await SeedAsync(provider, headcount: 4);
        var rows = Workers();
        rows[4][2] = "330203198001010037";

        var report = await ImportAsync(database, RosterFiles.Write("csv", Header, rows), skipInvalid: true);

        Assert.True(report.Written);
        Assert.Equal(1, report.RowsSkipped);
        Assert.Equal((4, 4), await CountAsync(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_BelowTheParticipationRule_IsRefusedForTheUnit(string provider)
    {
        await using var database = await SeedAsync(provider, headcount: 20, women: 10);

        var report = await ImportAsync(database, RosterFiles.Write("csv", Header, Workers()));

        Assert.False(report.Written);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(0, problem.Line);
        Assert.Contains("至少应有 16 人", problem.Reason);
    }

    [Fact]
    public async Task Import_WomensPlanBelowItsRule_OnlyWarnsAsTheSchemeSays()
    {
        await using var database = await SeedAsync("sqlite", headcount: 5, women: 5);
        var women = Workers().Where(r => ((string)r[2]!)[16] % 2 == 0).ToList();
        await ImportAsync(database, RosterFiles.Write("csv", Header, Workers()));

        var report = await ImportAsync(database, RosterFiles.Write("csv", Header, women), "INPATIENT,FEMALE");

        Assert.True(report.Written);
        Assert.Contains(report.Warnings, w => w.Contains("女职工 5 人", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_RosterWithoutTheIdColumn_NamesTheMissingColumn()
    {
        await using var database = await SeedAsync("sqlite");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, RosterFiles.Write("csv", ["序号", "姓名"], [[1, "张三"]])));

        Assert.Contains("身份证号", Assert.Single(error.Problems).Message);
    }
}
