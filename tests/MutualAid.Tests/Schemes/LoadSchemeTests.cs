using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Members;
using MutualAid.Schemes;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Schemes;

public sealed class LoadSchemeTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static string SchemeJson(decimal rate = 0.5m, string extraVersion = "") => $$"""
        { "scheme": "T", "name": "测试方案", "plans": [
          { "code": "INPATIENT", "name": "住院", "versions": [
            { "effectiveFrom": "2024-01-01", "premium": 40, "benefits": [
              { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": {{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } ] } ] }
            {{extraVersion}} ] } ] }
        """;

    private static string LaterVersion(string from) => $$"""
        , { "effectiveFrom": "{{from}}", "premium": 50, "benefits": [
            { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 0.6 } ] } ] }
        """;

    private static async Task<LoadSchemeResult> LoadAsync(TestDatabase database, string json, FakeTimeProvider? clock = null)
    {
        await using var db = database.NewContext();
        return await new LoadScheme(db, clock ?? new FakeTimeProvider()).HandleAsync(json, Ct);
    }

    /// <summary>Enrolls one member in INPATIENT for a year from <paramref name="start"/> under the version governing it.</summary>
    private static async Task EnrollAsync(TestDatabase database, string start)
    {
        await using var db = database.NewContext();
        var member = new Member(IdNumber.Parse(TestIds.Person(1, new DateOnly(1980, 1, 1), Gender.Male)), "张三", MemberType.InService, null);
        db.Members.Add(member);
        await db.SaveChangesAsync(Ct);
        var from = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        var version = await db.PlanVersions.Where(v => v.PlanCode == "INPATIENT" && v.EffectiveFrom <= from).OrderByDescending(v => v.EffectiveFrom).FirstAsync(Ct);
        var shares = new FundingShares(version.Premium, Money.Zero, Money.Zero, Money.Zero, Money.Zero);
        db.Enrollments.Add(new MutualAid.Enrollment.Enrollment(member.Id, version.Id, "INPATIENT", new DateRange(from, from.AddYears(1).AddDays(-1)), 1, null, version.Premium, shares, false));
        await db.SaveChangesAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_NewScheme_StoresEveryVersion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var result = await LoadAsync(database, SchemeJson(extraVersion: LaterVersion("2025-01-01")));

        Assert.Equal(["INPATIENT 2024-01-01", "INPATIENT 2025-01-01"], result.Added);
        await using var db = database.NewContext();
        Assert.Equal(2, await db.PlanVersions.CountAsync(Ct));
        Assert.Equal(new Money(5000), (await db.PlanVersions.SingleAsync(v => v.EffectiveFrom == new DateOnly(2025, 1, 1), Ct)).Premium);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_TheSameFileAgain_ChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await LoadAsync(database, SchemeJson(), clock);
        clock.Advance(TimeSpan.FromDays(1));

        var again = await LoadAsync(database, SchemeJson().Replace("0.5", "0.50", StringComparison.Ordinal), clock);

        Assert.True(again.Unchanged);
        await using var db = database.NewContext();
        Assert.Equal(new DateTime(2024, 3, 1, 8, 0, 0), (await db.Schemes.SingleAsync(Ct)).LoadedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_ChangedVersionInUse_IsRefusedWithTheReason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson());
        await EnrollAsync(database, "2024-01-01");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(database, SchemeJson(rate: 0.6m)));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("INPATIENT 2024-01-01", problem.Path);
        Assert.Contains("已有 1 条参保使用该版本，不能修改", problem.Message);
        await using var db = database.NewContext();
        Assert.Contains("0.5", (await db.Schemes.SingleAsync(Ct)).Document);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_ChangedVersionNotInUse_IsUpdated(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson());

        var result = await LoadAsync(database, SchemeJson(rate: 0.6m));

        Assert.Equal(["INPATIENT 2024-01-01"], result.Changed);
        await using var db = database.NewContext();
        var scheme = await new SchemeQueries(db).FindAsync("T", Ct);
        Assert.Equal(0.6m, ((BracketedBenefit)scheme!.Plans[0].Versions[0].Benefits[0]).Brackets[0].Rate);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_NewVersionEffectiveAfterEnrolledPeriodsStart_IsAccepted(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson());
        await EnrollAsync(database, "2024-01-01");

        var result = await LoadAsync(database, SchemeJson(extraVersion: LaterVersion("2025-01-01")));

        Assert.Equal(["INPATIENT 2025-01-01"], result.Added);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_NewVersionTakingOverAnEnrolledPeriod_IsRefused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson());
        await EnrollAsync(database, "2024-07-01");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(database, SchemeJson(extraVersion: LaterVersion("2024-06-01"))));

        Assert.Contains("2024-07-01 起的参保期间已按 2024-01-01 版本参保", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_WithoutAVersionInUse_IsRefused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson(extraVersion: LaterVersion("2025-01-01")));
        await EnrollAsync(database, "2025-01-01");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(database, SchemeJson()));

        Assert.Contains(error.Problems, p => p.Path == "INPATIENT 2025-01-01" && p.Message.Contains("不能删除", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Load_InvalidScheme_ListsEveryProblemAndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var json = SchemeJson(rate: 1.5m).Replace("\"premium\": 40", "\"premium\": -1", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(database, json));

        Assert.Equal(2, error.Problems.Count);
        await using var db = database.NewContext();
        Assert.Equal(0, await db.Schemes.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Show_CountsTheEnrollmentsOfEachVersion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await LoadAsync(database, SchemeJson(extraVersion: LaterVersion("2025-01-01")));
        await EnrollAsync(database, "2024-03-01");
        await using var db = database.NewContext();

        var view = await new SchemeQueries(db).ShowAsync("T", Ct);

        Assert.Equal([1, 0], view!.Versions.Select(v => v.Enrollments));
        Assert.Equal([40m, 50m], view.Versions.Select(v => v.Premium));
        Assert.Equal(1, Assert.Single(await new SchemeQueries(db).ListAsync(Ct)).Plans);
    }
}
