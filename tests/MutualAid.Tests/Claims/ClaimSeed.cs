using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
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

    /// <summary>
    /// Every stored payout and denial equals <c>calc</c> on the stored facts (scheme, members with their
    /// insurance type, enrollments, every claim's event); returns them as "event plan benefit amount" or
    /// "event plan reason", in event order, a manual claim named by its number.
    /// </summary>
    /// <remarks>
    /// <paramref name="periods"/> adds periods that are not enrolments (cover without enrolment: the years a
    /// member is covered); <paramref name="include"/> keeps only some claims (those <c>calc</c> can say).
    /// </remarks>
    public static async Task<List<string>> AssertStoredEqualsCalcAsync(TestDatabase database, string scheme,
        IEnumerable<(long Member, string Plan, DateOnly Start, DateOnly End)>? periods = null, Func<Claim, bool>? include = null)
    {
        await using var db = database.NewContext();
        var members = await db.Members.AsNoTracking().ToListAsync(Ct);
        var enrollments = (await db.Enrollments.AsNoTracking().ToListAsync(Ct)).Select(e => (Member: e.MemberId, Plan: e.PlanCode, e.Start, e.End, e.Units))
            .Concat((periods ?? []).Select(p => (p.Member, p.Plan, p.Start, p.End, Units: 1))).ToList();
        var claims = (await db.Claims.AsNoTracking().Include(c => c.Lines).OrderBy(c => c.EventDate).ToListAsync(Ct)).Where(include ?? (_ => true)).ToList();
        var settlements = await db.Settlements.AsNoTracking().ToDictionaryAsync(s => s.Id, Ct);
        var kinds = SpecNames.EventKinds.ToDictionary(k => k.Value, k => k.Key);
        var names = new Dictionary<long, string>();
        var events = new JsonArray();
        foreach (var claim in claims)
        {
            var key = claim.MemberId.ToString(CultureInfo.InvariantCulture);
            var e = claim.SettlementId is { } s ? settlements[s].ToEvent(key) : claim.Details!.ToEvent(claim.Number, key, claim.Kind, claim.EventDate);
            names[claim.Id] = e.Id;
            var json = new JsonObject
            {
                ["id"] = e.Id, ["member"] = key, ["kind"] = kinds[e.Kind], ["date"] = Day(e.Date),
                ["diagnoses"] = new JsonArray([.. e.Diagnoses.Select(d => JsonValue.Create(d))]),
                ["procedures"] = new JsonArray([.. SpecNames.Procedures.Where(p => e.Procedures.HasFlag(p.Value)).Select(p => JsonValue.Create(p.Key))]),
                ["amounts"] = new JsonObject
                {
                    ["totalCost"] = e.Amounts.TotalCost.Yuan, ["insurancePaid"] = e.Amounts.InsurancePaid.Yuan,
                    ["selfPayInScope"] = e.Amounts.SelfPayInScope.Yuan, ["selfPayOutOfScope"] = e.Amounts.SelfPayOutOfScope.Yuan,
                    ["selfPay"] = e.Amounts.EffectiveSelfPay.Yuan, ["cashPay"] = e.Amounts.EffectiveCashPay.Yuan, ["loss"] = e.Amounts.Loss.Yuan,
                },
            };
            if (e.Grade is { } grade)
                json["grade"] = grade;
            if (e.AdmissionDate is { } admission && e.DischargeDate is { } discharge)
                (json["admissionDate"], json["dischargeDate"]) = (Day(admission), Day(discharge));
            events.Add(json);
        }
        var input = new JsonObject
        {
            ["scheme"] = JsonNode.Parse(scheme),
            ["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Id.ToString(CultureInfo.InvariantCulture), ["gender"] = m.Gender == Gender.Female ? "F" : "M",
                ["birthDate"] = Day(m.BirthDate), ["memberType"] = "in_service",
                ["insuranceType"] = m.InsuranceType is { } type ? SpecNames.InsuranceTypes.Single(t => t.Value == type).Key : null,
            })]),
            ["enrollments"] = new JsonArray([.. enrollments.Select(e => (JsonNode)new JsonObject
            {
                ["member"] = e.Member.ToString(CultureInfo.InvariantCulture), ["plan"] = e.Plan,
                ["start"] = Day(e.Start), ["end"] = Day(e.End), ["units"] = e.Units,
            })]),
            ["events"] = events,
        };
        var expected = CalcCase.Parse(input.ToJsonString()).Run();

        var order = claims.Select(c => names[c.Id]).ToList();
        var calc = expected.Payouts.Select(p => $"{p.Event.Id} {p.Line.Plan.Code} {p.Line.Benefit.Code} {p.Line.Amount.ToInvariantString()}")
            .Concat(expected.Denials.Select(d => $"{d.Event.Id} {d.Plan?.Code ?? ""} {TraceText.SpecName(d.Reason)}"));
        var stored = claims.SelectMany(c => c.Lines.Where(l => l.Amount > Money.Zero).Select(l => $"{names[c.Id]} {l.PlanCode} {l.BenefitCode} {l.Amount.ToInvariantString()}")
            .Concat(c.Lines.Where(l => l.BenefitCode is null).Select(l => $"{names[c.Id]} {l.PlanCode} {l.Reason}")));
        List<string> Ordered(IEnumerable<string> lines) => [.. lines.OrderBy(l => order.IndexOf(l[..l.IndexOf(' ', StringComparison.Ordinal)])).ThenBy(l => l, StringComparer.Ordinal)];
        var result = Ordered(stored);
        Assert.Equal(Ordered(calc), result);
        return result;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
