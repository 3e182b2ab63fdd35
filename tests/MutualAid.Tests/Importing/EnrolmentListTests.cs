using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Importing;

/// <summary>Enrolment lists (参保名单): a plan and a start date on every row, people in several plans.</summary>
public sealed class EnrolmentListTests
{
    private static readonly string[] Header = ["序号", "姓名", "身份证号", "会员类别", "计划代码", "开始日期", "份数", "赠送"];
    private static readonly string RetireeA = TestIds.Person(21, new DateOnly(1958, 3, 1), Gender.Female);
    private static readonly string RetireeB = TestIds.Person(22, new DateOnly(1961, 7, 1), Gender.Male);
    private static readonly string Worker = TestIds.Person(23, new DateOnly(1985, 7, 1), Gender.Female);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<object?[]> Rows() =>
    [
        [1, "退休甲", RetireeA, "退休", "RETIREE", "2026-05-01", null, null],
        [2, "退休乙", RetireeB, "退休", "RETIREE", "2026-05-01", null, "是"],
        [3, "职工丙", Worker, "在职", "INPATIENT", "2026-05-01", null, null],
        [4, "职工丙", Worker, "在职", "CRITICAL", "2026-05-01", 3, null],
    ];

    private static async Task<ImportReport> ImportAsync(TestDatabase database, List<object?[]> rows, string format = "csv")
    {
        await using var db = database.NewContext();
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(RosterFiles.Write(format, Header, rows), new RosterOptions(), TestActors.Tester, Ct);
    }

    [Theory]
    [MemberData(nameof(ImportRosterTests.ProvidersAndFormats), MemberType = typeof(ImportRosterTests))]
    public async Task Import_EnrolmentList_EnrolsEachRowInItsPlan(string provider, string format)
    {
        await using var database = await Seed.CityAsync(provider);

        var report = await ImportAsync(database, Rows(), format);
        var again = await ImportAsync(database, Rows(), format);

        Assert.True(report.Written, string.Join("; ", report.Problems));
        Assert.Equal((3, 4), (report.MembersAdded, report.Enrolled));
        Assert.Equal((0, 0, 4), (again.MembersAdded, again.Enrolled, again.EnrollmentsUnchanged));
        await using var db = database.NewContext();
        var enrollments = await db.Enrollments.OrderBy(e => e.Id).ToListAsync(Ct);
        Assert.Equal(["RETIREE", "RETIREE", "INPATIENT", "CRITICAL"], enrollments.Select(e => e.PlanCode));
        Assert.Equal(Money.FromYuan(130), enrollments[0].Shares.Worker);
        Assert.True(enrollments[1].Gifted);
        Assert.Equal(Money.FromYuan(130), enrollments[1].Shares.Union);
        Assert.Equal((3, Money.FromYuan(60)), (enrollments[3].Units, enrollments[3].Premium));
    }

    [Theory]
    [InlineData("unknown plan", "计划代码", "没有这个计划")]
    [InlineData("same plan twice", "身份证号", "同一人同一计划")]
    [InlineData("no start date", "开始日期", "参保须给出开始日期")]
    [InlineData("bad gifted flag", "赠送", "应为“是”或“否”")]
    [InlineData("different names", "姓名", "与表中姓名")]
    public async Task Import_BadEnrolmentList_ReportsTheRowAndWritesNothing(string @case, string column, string reason)
    {
        await using var database = await Seed.CityAsync("sqlite");
        var rows = Rows();
        switch (@case)
        {
            case "unknown plan": rows[0][4] = "DENTAL"; break;
            case "same plan twice": rows[3][4] = "INPATIENT"; break;
            case "no start date": rows[2][5] = null; break;
            case "bad gifted flag": rows[1][7] = "Y"; break;
            case "different names": rows[3][1] = "职工丁"; break;
        }

        var report = await ImportAsync(database, rows);

        Assert.False(report.Written);
        Assert.Contains(report.Problems, p => p.Column == column && p.Reason.Contains(reason, StringComparison.Ordinal));
        await using var db = database.NewContext();
        Assert.Equal(0, await db.Members.CountAsync(Ct));
    }

    [Fact]
    public async Task Template_ForEnrolmentLists_HasThePlanAndStartColumns()
    {
        var file = Path.Combine(Path.GetTempPath(), $"enrol-{Guid.NewGuid():N}.xlsx");

        Templates.Write("enrollments", file);

        Assert.Equal(ImportRoster.EnrolmentTemplate, TableFile.Open(file).Headers);
    }
}
