using Microsoft.Extensions.Time.Testing;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Organisation;
using MutualAid.Schemes;
using MutualAid.Tests.Importing;
using MutualAid.Units;

namespace MutualAid.Tests.Data;

/// <summary>A database with the Ningbo-style scheme, Ningbo with one district, and unit A.</summary>
internal static class Seed
{
    public const string UnitA = "91330203000000001W";
    public static readonly DateOnly Start = new(2024, 5, 1);
    public static readonly string[] RosterHeader = ["序号", "姓名", "身份证号", "手机号"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TestDatabase> CityAsync(string provider, int headcount = 5, int women = 3)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        await new LoadScheme(db, new FakeTimeProvider()).HandleAsync(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "ningbo.json"), Ct), Ct);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", Ct);
        await org.AddDistrictAsync("330203", "海曙区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(UnitA, "甲公司", "330203", "民企", headcount, women), Ct);
        return database;
    }

    /// <summary>Workers 1…n, odd ones women, born 1980 on; the n-th is born in 1979 + n.</summary>
    public static List<object?[]> Workers(int count = 5) =>
        [.. Enumerable.Range(1, count).Select(i => new object?[]
        {
            i, $"职工{i}", Worker(i), $"1380000000{i % 10}",
        })];

    public static string Worker(int i) => TestIds.Person(i, new DateOnly(1979 + i, 3, 1), i % 2 == 1 ? Gender.Female : Gender.Male);

    /// <summary>Imports workers 1…n of unit A and enrols them in the plans for the year from <see cref="Start"/>.</summary>
    public static async Task<ImportReport> RosterAsync(TestDatabase database, int count = 5, string plans = "INPATIENT")
    {
        await using var db = database.NewContext();
        var file = RosterFiles.Write("csv", RosterHeader, Workers(count));
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(UnitA, null, plans.Split(','), Start), TestActors.Tester, Ct);
    }
}
