using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Importing;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Importing;

/// <summary>Rosters as offices save them (GBK CSV, .xls, UTF-16 text), uploaded under their own names, on both databases.</summary>
public sealed class RosterFormatsTests
{
    private static readonly string[] Header = [.. Seed.RosterHeader, "开户银行", "银行账号"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ProvidersAndFormats() => new()
    {
        { "sqlite", "gbk" }, { "sqlite", "xls" }, { "sqlite", "utf16" }, { "postgres", "gbk" }, { "postgres", "xls" }, { "postgres", "utf16" },
    };

    private static List<object?[]> Workers() =>
        [.. Seed.Workers(5).Select((r, i) => (object?[])[r[0], i == 0 ? "欧阳娜娜" : r[1], r[2], r[3], "中国工商银行", $"621700000000000{i}"])];

    private static (string Name, byte[] Content) File(string format, List<object?[]> rows) => format switch
    {
        "gbk" => ("三月花名册.csv", OfficeFiles.Gbk(OfficeFiles.Csv(Header, rows))),
        "xls" => ("三月花名册.xls", OfficeFiles.Xls(Header, rows)),
        _ => ("三月花名册.txt", OfficeFiles.WithBom(Encoding.Unicode, OfficeFiles.Csv(Header, rows, '\t'))),
    };

    private static async Task<ImportReport> UploadAsync(TestDatabase database, string name, byte[] content)
    {
        await using var db = database.NewContext();
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(name, () => new MemoryStream(content, writable: false),
            new RosterOptions(Seed.UnitA, null, ["INPATIENT"], Seed.Start), TestActors.Tester, Ct);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndFormats))]
    public async Task Upload_ARosterAsOfficesSaveIt_EnrolsItsWorkersWithTheirNamesAndCards(string provider, string format)
    {
        await using var database = await Seed.CityAsync(provider);
        var (name, content) = File(format, Workers());

        var report = await UploadAsync(database, name, content);

        Assert.Empty(report.Problems);
        Assert.True(report.Written);
        Assert.Equal((name, 5, 5), (report.File, report.MembersAdded, report.Enrolled));
        await using var db = database.NewContext();
        var first = await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(1), Ct);
        Assert.Equal(("欧阳娜娜", "中国工商银行", "6217000000000000"), (first.Name, first.BankName, first.BankAccount));
        Assert.Equal(5, await db.Enrollments.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upload_AnXlsWithAnIdTypedAsANumber_RefusesTheRowNamingTheFileRowAndColumn(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        var rows = Workers();
        rows[2][2] = double.Parse((string)rows[2][2]!, System.Globalization.CultureInfo.InvariantCulture);

        var report = await UploadAsync(database, "三月花名册.xls", OfficeFiles.Xls(Header, rows));

        Assert.False(report.Written);
        Assert.Equal("三月花名册.xls", report.File);
        var problem = Assert.Single(report.Problems, p => p.Line > 0);
        Assert.Equal((4, "身份证号"), (problem.Line, problem.Column));
        // Excel kept 15 significant digits: what is read is no longer the number typed.
        Assert.Equal("330203198203010000", problem.Value);
        Assert.Contains("单元格是数字格式", problem.Reason, StringComparison.Ordinal);
        await using var db = database.NewContext();
        Assert.Equal(0, await db.Members.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upload_ABadFile_IsRefusedNamingTheUploadedFile_NeverAPathOrACommand(string provider)
    {
        await using var database = await Seed.CityAsync(provider);

        var notATable = await Assert.ThrowsAsync<InvalidInputException>(() => UploadAsync(database, "花名册.xls", "这不是表格"u8.ToArray()));
        var noColumns = await Assert.ThrowsAsync<InvalidInputException>(() => UploadAsync(database, "花名册.csv", OfficeFiles.Gbk("名字,号码\r\n张三,1\r\n")));
        var unknownPlan = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            var (name, content) = File("gbk", Workers());
            await new ImportRoster(db, TimeProvider.System).HandleAsync(name, () => new MemoryStream(content), new RosterOptions(Seed.UnitA, null, ["NOPE"], Seed.Start), TestActors.Tester, Ct);
        });

        Assert.Equal("花名册.xls", Assert.Single(notATable.Problems).Path);
        Assert.Equal("花名册.csv", Assert.Single(noColumns.Problems).Path);
        Assert.Contains("第 1 行的列名是：名字、号码", noColumns.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("参保计划", Assert.Single(unknownPlan.Problems).Path);
        foreach (var problem in notATable.Problems.Concat(noColumns.Problems).Concat(unknownPlan.Problems))
        {
            Assert.DoesNotContain("mutualaid", problem.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("--", problem.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetTempPath(), problem.ToString(), StringComparison.Ordinal);
        }
    }
}
