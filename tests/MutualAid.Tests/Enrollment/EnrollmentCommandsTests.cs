using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Members;
using MutualAid.Reports;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

public sealed class EnrollmentCommandsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Retiree = TestIds.Person(7, new DateOnly(1960, 6, 1), Gender.Female);

    private static async Task RegisterRetireeAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        await new RegisterMember(db).HandleAsync(new MemberInput(Retiree, "退休王阿姨", MemberType.Retired, "13900000000", null, "工商银行", "6222020000000000001", false, false), Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Enrol_ARetiree_OwesThePremiumHerself(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await RegisterRetireeAsync(database);
        await using var db = database.NewContext();

        var enrollment = await new EnrollmentCommands(db).EnrolAsync(Retiree, null, "RETIREE", Seed.Start, 1, false, null, TestActors.Tester, Ct);

        Assert.Equal(EnrollmentStatus.Pending, enrollment.Status);
        Assert.Equal(Money.FromYuan(130), enrollment.Shares.Worker);
    }

    [Theory]
    [InlineData("INPATIENT", "退休人员不能参加")]
    [InlineData("FEMALE", "退休人员不能参加")]
    public async Task Enrol_WhenNotEligible_SaysWhy(string plan, string reason)
    {
        await using var database = await Seed.CityAsync("sqlite");
        await RegisterRetireeAsync(database);
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new EnrollmentCommands(db).EnrolAsync(Retiree, null, plan, Seed.Start, 1, false, null, TestActors.Tester, Ct));

        Assert.Contains(error.Problems, p => p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Enrol_AnOverlappingPeriod_IsRefused(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await RegisterRetireeAsync(database);
        await using (var db = database.NewContext())
            await new EnrollmentCommands(db).EnrolAsync(Retiree, null, "RETIREE", Seed.Start, 1, false, null, TestActors.Tester, Ct);
        await using var again = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new EnrollmentCommands(again).EnrolAsync(Retiree, null, "RETIREE", Seed.Start.AddMonths(6), 1, false, null, TestActors.Tester, Ct));

        Assert.Contains("重叠", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RenewUnit_Twice_RenewsOnce(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);

        RenewalReport first, second;
        await using (var db = database.NewContext())
            first = await new EnrollmentCommands(db).RenewUnitAsync(Seed.UnitA, Seed.Start, false, TestActors.Tester, Ct);
        await using (var db = database.NewContext())
            second = await new EnrollmentCommands(db).RenewUnitAsync(Seed.UnitA, Seed.Start, false, TestActors.Tester, Ct);

        Assert.Equal((5, 0), (first.Renewed, first.AlreadyRenewed));
        Assert.Equal((0, 5), (second.Renewed, second.AlreadyRenewed));
        await using var check = database.NewContext();
        Assert.Equal(5, await check.Enrollments.CountAsync(e => e.Start == new DateOnly(2025, 5, 1) && e.End == new DateOnly(2026, 4, 30), Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RenewUnit_WhenAWorkerPassedTheAgeLimit_RenewsNobodyUnlessSkipping(string provider)
    {
        await using var database = await Seed.CityAsync(provider, headcount: 1, women: 1);
        await using (var db = database.NewContext())
        {
            await new RegisterMember(db).HandleAsync(new MemberInput(TestIds.Person(9, new DateOnly(1964, 4, 1), Gender.Female), "将满六十", MemberType.InService, null, Seed.UnitA, null, null, false, false), Ct);
            await new EnrollmentCommands(db).EnrolAsync(TestIds.Person(9, new DateOnly(1964, 4, 1), Gender.Female), null, "INPATIENT", Seed.Start, 1, false, null, TestActors.Tester, Ct);
        }
        await using var renew = database.NewContext();

        var report = await new EnrollmentCommands(renew).RenewUnitAsync(Seed.UnitA, Seed.Start, false, TestActors.Tester, Ct);
        var skipping = await new EnrollmentCommands(renew).RenewUnitAsync(Seed.UnitA, Seed.Start, true, TestActors.Tester, Ct);

        Assert.False(report.Written);
        Assert.Contains("年满 61 周岁", Assert.Single(report.Problems));
        Assert.Equal((true, 0), (skipping.Written, skipping.Renewed));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Withdraw_TakesTheMemberOutOfCoverage(string provider)
    {
        await using var database = await Seed.CityAsync(provider, headcount: 5);
        await Seed.RosterAsync(database);
        await using (var db = database.NewContext())
            await new EnrollmentCommands(db).WithdrawAsync(Seed.Worker(1), "INPATIENT", Seed.Start, new DateOnly(2024, 6, 1), TestActors.Tester, Ct);
        await using var report = database.NewContext();

        var coverage = await new CoverageReport(report).HandleAsync("INPATIENT", new DateOnly(2024, 7, 1), Ct);

        var district = Assert.Single(coverage.Districts);
        Assert.Equal((4, 5, 0.8m), (district.Enrolled, district.Headcount, district.WorkerRate));
        Assert.True(Assert.Single(district.UnitsDetail).MeetsTarget);
    }

    [Fact]
    public async Task RegisterMember_WithABadIdAndPhone_ListsBoth()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new RegisterMember(db).HandleAsync(new MemberInput("330203196001010012", "某人", MemberType.Retired, "12345", null, null, null, false, false), Ct));

        Assert.Equal(["身份证号", "手机号"], error.Problems.Select(p => p.Path));
    }

    [Fact]
    public async Task Coverage_CountsUnitsWithoutMembersAsNotEnrolled()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await using (var db = database.NewContext())
            await new MutualAid.Units.UnitCommands(db).SaveAsync(new MutualAid.Units.UnitInput(TestIds.Unit(2), "乙公司", "330203", "国企", 10, 4), Ct);
        await Seed.RosterAsync(database);
        await using var report = database.NewContext();

        var coverage = await new CoverageReport(report).HandleAsync("INPATIENT", Seed.Start, Ct);

        var district = Assert.Single(coverage.Districts);
        Assert.Equal((1, 2, 0.5m, 5, 15, 0.3333m), (district.UnitsEnrolled, district.Units, district.UnitRate, district.Enrolled, district.Headcount, district.WorkerRate));
    }
}
