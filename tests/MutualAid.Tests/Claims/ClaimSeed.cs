using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Premiums;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Claims;

/// <summary>Settlement rows, premiums paid and imports for the claims tests.</summary>
internal static class ClaimSeed
{
    public static readonly string[] SettlementHeader = [.. ImportSettlements.Required, .. ImportSettlements.Optional];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The city with workers 1…5 of unit A in the plans and every premium paid before the start.</summary>
    public static async Task<TestDatabase> PaidCityAsync(string provider, string plans = "INPATIENT")
    {
        var database = await Seed.CityAsync(provider);
        Assert.True((await Seed.RosterAsync(database, plans: plans)).Written);
        await PayAllAsync(database);
        return database;
    }

    /// <summary>Enrols the roster's workers of unit A in the plan for the year from <see cref="Seed.Start"/>.</summary>
    public static async Task EnrolAsync(TestDatabase database, string plan, IEnumerable<object?[]> workers, string[]? header = null)
    {
        await using var db = database.NewContext();
        var file = RosterFiles.Write("csv", header ?? Seed.RosterHeader, workers);
        var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(Seed.UnitA, null, [plan], Seed.Start), TestActors.Tester, Ct);
        Assert.True(report.Written, string.Join("; ", report.Problems));
    }

    /// <summary>Unit A pays everything it owes before the period starts, so coverage starts on the start.</summary>
    public static async Task PayAllAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var desk = new PremiumDesk(db);
        var owed = await desk.NoticeAsync(PayerRef.Unit(Seed.UnitA), Seed.Start, Ct);
        await desk.RecordAsync(PayerRef.Unit(Seed.UnitA), Seed.Start, Money.FromYuan(owed.Total), new DateOnly(2024, 4, 1), "ALL", TestActors.Tester, Ct);
    }

    public static object?[] Settlement(string id, int worker, DateOnly discharge, decimal total, decimal fund, string diagnosis, decimal ownPay = 0, int days = 5)
    {
        var personal = total - fund;
        var own = Math.Min(ownPay, personal);
        return
        [
            id, Seed.Worker(worker), $"职工{worker}", worker % 2 == 1 ? "2" : "1", "310", "21",
            discharge.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), discharge.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "330203", diagnosis, Yuan(total), Yuan(fund), Yuan(own), "0.00", Yuan(personal), Yuan(personal), "某医院", null, "0", null,
        ];
    }

    public static string Yuan(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static async Task ImportAsync(TestDatabase database, IEnumerable<object?[]> rows)
    {
        await using var db = database.NewContext();
        var report = await new SettlementFeed(db, new FakeTimeProvider()).HandleAsync(RosterFiles.Write("csv", SettlementHeader, rows), Ct);
        Assert.Empty(report.Import.Rejected);
    }
}
