using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Importing;
using MutualAid.Organisation;
using MutualAid.Premiums;
using MutualAid.Schemes;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using MutualAid.Units;

namespace MutualAid.Tests.Enrollment;

/// <summary>
/// 新进职工: new hires join a unit's running period (2024-05-01 to 2025-04-30 here) from a day,
/// counted with the unit's whole roster, charged as the scheme's <c>partPeriodPremium</c> says.
/// </summary>
public sealed class NewHireTests
{
    private const string Unit = Seed.UnitA;
    private static readonly DateOnly PeriodStart = Seed.Start;
    private static readonly DateOnly PeriodEnd = Seed.Start.AddYears(1).AddDays(-1);
    private static readonly DateOnly December = new(2024, 12, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string, long> PremiumRules()
    {
        var data = new TheoryData<string, string, string, string, long>();
        foreach (var provider in new[] { "sqlite", "postgres" })
        {
            // 60.30 a year: 6030 fen × 5/12 = 2512.5, rounded half away from zero to 2513 (banker's rounding would give 2512).
            data.Add(provider, "whole", "2024-12-15", "2024-12-15", 6030);
            data.Add(provider, "monthly", "2024-12-15", "2024-12-15", 2513);
            data.Add(provider, "monthly", "2025-04-30", "2025-04-30", 503);
            data.Add(provider, "nextMonth", "2024-12-15", "2025-01-01", 2010);
            data.Add(provider, "nextMonth", "2024-12-01", "2024-12-01", 2513);
        }
        return data;
    }

    /// <summary>The Ningbo-style scheme with the in-service premium at 60.30 and the part-period rule given (none: the default).</summary>
    private static async Task<TestDatabase> CityAsync(string provider, int headcount, string? rule = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        var json = (await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "ningbo.json"), Ct)).Replace("\"premium\": 60,", "\"premium\": 60.3,", StringComparison.Ordinal);
        if (rule is not null)
            json = json.Replace("\"scheme\": \"NINGBO-STYLE\",", $"\"scheme\": \"NINGBO-STYLE\", \"partPeriodPremium\": \"{rule}\",", StringComparison.Ordinal);
        await new LoadScheme(db, new FakeTimeProvider()).HandleAsync(json, Ct);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", Ct);
        await org.AddDistrictAsync("330203", "海曙区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(Unit, "甲公司", "330203", "民企", headcount, headcount / 2), Ct);
        return database;
    }

    private static string Worker(int i) => TestIds.Person(i, new DateOnly(1970 + (i % 30), 1 + (i % 12), 1 + (i % 28)), i % 2 == 1 ? Gender.Female : Gender.Male);

    private static object?[] Row(int i) => [i, $"职工{i}", Worker(i), null];

    /// <summary>Workers 1…n of the unit, enrolled in the in-service plan for the period from 2024-05-01.</summary>
    private static async Task EnrolRosterAsync(TestDatabase database, int count)
    {
        await using var db = database.NewContext();
        var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(RosterFiles.Write("csv", Seed.RosterHeader, Enumerable.Range(1, count).Select(Row)),
            new RosterOptions(Unit, null, ["INPATIENT"], PeriodStart), TestActors.Tester, Ct);
        Assert.True(report.Written, string.Join("；", report.Problems));
    }

    private static List<NewHire> Hires(params int[] numbers) => [.. numbers.Select(i => new NewHire($"新职工{i}", Worker(i), "13900000000"))];

    private static async Task<ImportReport> HireAsync(TestDatabase database, DateOnly from, params int[] numbers)
    {
        await using var db = database.NewContext();
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(Hires(numbers), new RosterOptions(Unit, null, ["INPATIENT"], From: from), TestActors.As("unit"), Ct);
    }

    private static async Task<List<MutualAid.Enrollment.Enrollment>> EnrollmentsOfAsync(TestDatabase database, params int[] numbers)
    {
        var ids = numbers.Select(Worker).ToList();
        await using var db = database.NewContext();
        return await db.Enrollments.AsNoTracking()
            .Join(db.Members.Where(m => ids.Contains(m.IdNumber)), e => e.MemberId, m => m.Id, (e, _) => e)
            .OrderBy(e => e.Id).ToListAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoNewHiresInDecember_JoinTheRunningPeriod_FromTheirDate(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 102);
        await EnrolRosterAsync(database, 100);

        var report = await HireAsync(database, December, 101, 102);

        Assert.True(report.Written, string.Join("；", report.Problems));
        Assert.Equal((2, 2), (report.MembersAdded, report.Enrolled));
        var joined = await EnrollmentsOfAsync(database, 101, 102);
        Assert.Equal(2, joined.Count);
        Assert.All(joined, e => Assert.Equal((December, PeriodEnd, Money.FromYuan(25.13m)), (e.Start, e.End, e.Premium)));
        Assert.All(report.Joined, j => Assert.Equal((December, 5, 12), (j.Start, j.Months, j.OfMonths)));

        // They are the unit's period: renewing it renews them with the roster, into the same next period.
        await using var db = database.NewContext();
        var renewal = await new EnrollmentCommands(db).RenewUnitAsync(Unit, PeriodStart, false, TestActors.Tester, Ct);
        Assert.Equal(102, renewal.Renewed);
        var next = await EnrollmentsOfAsync(database, 101);
        Assert.Equal(PeriodEnd.AddDays(1), next[^1].Start);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task NewHiresPremium_FollowsTheNotice_AndCoversFromTheirStartOncePaid(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 102);
        await EnrolRosterAsync(database, 100);
        await HireAsync(database, December, 101, 102);
        await using var db = database.NewContext();
        var desk = new PremiumDesk(db);

        var notice = await desk.NoticeAsync(PayerRef.Unit(Unit), December, Ct);
        Assert.Equal((2, 50.26m), (Assert.Single(notice.Lines).Heads, notice.Total));
        await desk.RecordAsync(PayerRef.Unit(Unit), December, Money.FromYuan(50.26m), new DateOnly(2024, 11, 28), "NEWHIRE-1", TestActors.As("finance"), Ct);

        var joined = await EnrollmentsOfAsync(database, 101, 102);
        Assert.All(joined, e => Assert.Equal((EnrollmentStatus.Active, (DateOnly?)December), (e.Status, e.CoverageStart)));
        Assert.All(joined, e => Assert.Equal(e.Premium, e.Shares.Total));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Participation_CountsTheUnitsWholeRoster_NotTheFile(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 102);
        await EnrolRosterAsync(database, 100);
        await using var db = database.NewContext();
        var file = RosterFiles.Write("csv", Seed.RosterHeader, [Row(101), Row(102)]);

        var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(Unit, null, ["INPATIENT"], From: December), TestActors.Tester, Ct);

        Assert.True(report.Written, string.Join("；", report.Problems));
        Assert.Equal(2, report.Enrolled);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Participation_BelowTheRule_CountsRosterAndFileTogether(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 100);
        await EnrolRosterAsync(database, 100);
        await using (var db = database.NewContext())
        {
            foreach (var i in Enumerable.Range(1, 30))
                await new EnrollmentCommands(db).WithdrawAsync(Worker(i), "INPATIENT", PeriodStart, new DateOnly(2024, 11, 30), TestActors.Tester, Ct);
        }

        var report = await HireAsync(database, December, 101, 102);

        Assert.False(report.Written);
        Assert.Contains(report.Problems, p => p.Column == "单位参保率" && p.Reason.Contains("参加在职职工住院医疗互助保障 72 人", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PremiumRules))]
    public async Task PartPeriodPremium_ChargesTheRuleToTheFen(string provider, string rule, string from, string start, long fen)
    {
        await using var database = await CityAsync(provider, headcount: 4, rule);
        await EnrolRosterAsync(database, 4);

        var report = await HireAsync(database, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), 5);

        Assert.True(report.Written, string.Join("；", report.Problems));
        var enrollment = Assert.Single(await EnrollmentsOfAsync(database, 5));
        Assert.Equal((DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), PeriodEnd), (enrollment.Start, enrollment.End));
        Assert.Equal(new Money(fen), enrollment.Premium);
        Assert.Equal(new Money(fen), enrollment.Shares.Employer);
    }

    [Fact]
    public async Task PartPeriodPremium_NextMonthAfterThePeriod_IsRefused()
    {
        await using var database = await CityAsync("sqlite", headcount: 4, "nextMonth");
        await EnrolRosterAsync(database, 4);

        var report = await HireAsync(database, new DateOnly(2025, 4, 10), 5);

        Assert.False(report.Written);
        Assert.Contains(report.Problems, p => p.Column == "开始日期" && p.Reason.Contains("下一期", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DoubledSubmission_EnrolsOnce(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 4);
        await EnrolRosterAsync(database, 4);

        var (done, refused) = await database.AtOnceAsync(2, (db, _) =>
            new ImportRoster(db, TimeProvider.System).HandleAsync(Hires(5, 6), new RosterOptions(Unit, null, ["INPATIENT"], From: December), TestActors.As("unit"), Ct));
        var again = await HireAsync(database, December, 5, 6);

        Assert.Equal((2, 0), (done, refused.Count));
        Assert.Equal((0, 2), (again.Enrolled, again.EnrollmentsUnchanged));
        Assert.Equal(2, (await EnrollmentsOfAsync(database, 5, 6)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnrolOne_FromADay_JoinsTheUnitsPeriod(string provider)
    {
        await using var database = await CityAsync(provider, headcount: 4);
        await EnrolRosterAsync(database, 4);
        await using (var db = database.NewContext())
            await new MutualAid.Members.RegisterMember(db).HandleAsync(new MutualAid.Members.MemberInput(Worker(5), "新职工5", MemberType.InService, null, Unit, null, null, false, false), Ct);
        await using var context = database.NewContext();

        var enrollment = await new EnrollmentCommands(context).EnrolAsync(Worker(5), null, "INPATIENT", December, 1, false, null, TestActors.Tester, Ct, joinRunning: true);

        Assert.Equal((December, PeriodEnd, new Money(2513)), (enrollment.Start, enrollment.End, enrollment.Premium));
    }

    [Fact]
    public async Task EnrolOne_FromADay_WithoutARunningPeriod_IsRefused()
    {
        await using var database = await CityAsync("sqlite", headcount: 5);
        await using (var db = database.NewContext())
            await new MutualAid.Members.RegisterMember(db).HandleAsync(new MutualAid.Members.MemberInput(Worker(5), "新职工5", MemberType.InService, null, Unit, null, null, false, false), Ct);
        await using var context = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new EnrollmentCommands(context).EnrolAsync(Worker(5), null, "INPATIENT", December, 1, false, null, TestActors.Tester, Ct, joinRunning: true));

        Assert.Contains("没有进行中的参保期间", Assert.Single(error.Problems).Message);
    }
}
