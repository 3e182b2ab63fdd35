using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Organisation;
using MutualAid.Schemes;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using MutualAid.Units;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>
/// The rules of benefit-rules v2 on stored claims: each claim is computed from what the member's
/// earlier claims stored (admission numbers, ended cover, combined caps, stages), so the payouts
/// stored over several imports and intakes equal what <c>calc</c> gives for all the events at once.
/// </summary>
public sealed class RulesV2ClaimsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Start = Seed.Start;

    private static readonly string[] RosterWithInsurance = ["序号", "姓名", "身份证号", "手机号", "医保类型"];

    /// <summary>北京 2008: 70%, 60%, then 50% by admission, and a 20-yuan minimum that cancels a small payment.</summary>
    private const string Ordinal = """
        { "code": "INPATIENT", "name": "住院医疗互助", "waitingDays": 0,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 60, "benefits": [
            { "code": "FIRST", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.70 } ], "admissionOrdinal": { "min": 1, "max": 1 }, "minPayout": 20 },
            { "code": "SECOND", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.60 } ], "admissionOrdinal": { "min": 2, "max": 2 }, "minPayout": 20 },
            { "code": "LATER", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.50 } ], "admissionOrdinal": { "min": 3 }, "minPayout": 20 } ] } ] }
        """;

    /// <summary>台州: the stay plan and the critical-illness plan together pay at most 30000 a period.</summary>
    private const string Stay70 = """
        { "code": "INPATIENT", "name": "住院医疗互助", "waitingDays": 0,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 60, "benefits": [
            { "code": "REIMBURSE", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.70 } ] } ] } ] }
        """;

    private const string Critical = """
        { "code": "CRITICAL", "name": "重大疾病互助", "waitingDays": 0,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 40, "benefits": [
            { "code": "SUM", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "diagnosisPrefixes": ["C"], "amount": 20000 } ] } ] }
        """;

    /// <summary>宁波 特种重病: 1000 in the waiting window after day 30, 20000 from day 90; either ends cover.</summary>
    private const string Condolence = """
        { "code": "CRITICAL", "name": "特种重病互助", "waitingDays": 89,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 40, "benefits": [
            { "code": "CONDOLENCE", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "diagnosisPrefixes": ["C"], "amount": 1000,
              "inWaitingPeriod": { "afterDays": 30 }, "terminatesCover": true },
            { "code": "SUM", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "diagnosisPrefixes": ["C"], "amount": 20000,
              "terminatesCover": true } ] } ] }
        """;

    /// <summary>宁波 轻症: 3000 for a carcinoma in situ, then 4000 after surgery or chemotherapy, which ends cover.</summary>
    private const string Mild = """
        { "code": "MILD", "name": "轻症互助", "waitingDays": 0,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 40, "benefits": [
            { "code": "STAGE1", "kind": "lumpSum", "events": ["hospitalization"], "diagnosisPrefixes": ["D0"], "amount": 3000 },
            { "code": "STAGE2", "kind": "lumpSum", "events": ["hospitalization", "outpatientSpecial"], "amount": 4000,
              "procedures": ["surgery", "radiotherapy", "chemotherapy"], "after": "STAGE1", "terminatesCover": true } ] } ] }
        """;

    /// <summary>长春 2021: 15% of in-scope self-pay for employee-insured members, 2.25% of the total for the others.</summary>
    private const string ByInsurance = """
        { "code": "INPATIENT", "name": "住院医疗互助", "waitingDays": 0,
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 60, "benefits": [
            { "code": "EMPLOYEE", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.15 } ], "insuranceTypes": ["employee"] },
            { "code": "RESIDENT", "kind": "bracketed", "events": ["hospitalization"], "base": "totalCost", "accumulate": "claim",
              "brackets": [ { "from": 0, "rate": 0.0225 } ], "insuranceTypes": ["resident", "other"] } ] } ] }
        """;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AdmissionOrdinal_WhenTheFirstStayWasPaidInAnEarlierImport_TheNextPaysTheSecondRate(string provider)
    {
        var scheme = Scheme([Ordinal]);
        await using var database = await CityAsync(provider, scheme, "INPATIENT");
        // 14.00 is below the 20 minimum: not paid, so that stay takes no number.
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(10), 100, 80, "I10")]);
        await ImportAsync(database, [Settlement("S2", 1, Start.AddDays(20), 3000, 2000, "I10")]);
        await ImportAsync(database, [Settlement("S3", 1, Start.AddDays(40), 4000, 2000, "I10")]);
        await ImportAsync(database, [Settlement("S4", 1, Start.AddDays(60), 5000, 2000, "I10")]);

        var stored = await AssertStoredEqualsCalcAsync(database, scheme);
        Assert.Equal(
            ["S1 INPATIENT below_minimum", "S2 INPATIENT FIRST 700.00", "S3 INPATIENT SECOND 1200.00", "S4 INPATIENT LATER 1500.00"],
            stored);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CombinedCap_AcrossTwoPlans_StopsAtTheCapOverTwoClaims(string provider)
    {
        var scheme = Scheme([Stay70, Critical], """[ { "plans": ["INPATIENT", "CRITICAL"], "cap": 30000 } ]""");
        await using var database = await CityAsync(provider, scheme, "INPATIENT,CRITICAL");
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(10), 50000, 30000, "I10")]);
        // The second stay finds 16000 left of the 30000: 7000 for the stay, 9000 of the 20000 sum.
        await ImportAsync(database, [Settlement("S2", 1, Start.AddDays(30), 30000, 20000, "C50.9")]);
        await using (var db = database.NewContext())
        {
            // A stay taken at the desk afterwards: the cap is used up, so the stay plan pays nothing more.
            var stay = new ClaimEvent
            {
                AdmissionDate = Start.AddDays(45), DischargeDate = Start.AddDays(50), Diagnoses = "I10",
                TotalCost = Money.FromYuan(10000), InsurancePaid = Money.FromYuan(5000),
            };
            await new ManualClaims(db, TimeProvider.System).SubmitAsync(
                new ManualClaimRequest("clerk1", Seed.Worker(1), EventKinds.Hospitalization, Start.AddDays(50), stay, [], []), TestActors.Tester, Ct);
        }

        var stored = await AssertStoredEqualsCalcAsync(database, scheme);
        Assert.Equal(["S1 CRITICAL no_benefit", "S1 INPATIENT REIMBURSE 14000.00", "S2 CRITICAL SUM 9000.00", "S2 INPATIENT REIMBURSE 7000.00"], stored.Take(4));
        Assert.Equal([" CRITICAL no_benefit", " INPATIENT no_benefit"], stored.Skip(4).Select(s => s[s.IndexOf(' ', StringComparison.Ordinal)..]));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ACondolenceInTheWaitingPeriod_EndsCover_AndTheNextClaimIsDenied(string provider)
    {
        var scheme = Scheme([Condolence]);
        await using var database = await CityAsync(provider, scheme, "CRITICAL");
        // Day 20: inside the waiting period and not yet past day 30, so nothing.
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(20), 10000, 7000, "C50.9")]);
        // Day 40: the condolence.
        await ImportAsync(database, [Settlement("S2", 1, Start.AddDays(40), 10000, 7000, "C50.9")]);
        // Day 120: the main sum would be due, but the condolence ended cover.
        await ImportAsync(database, [Settlement("S3", 1, Start.AddDays(120), 10000, 7000, "C50.9")]);

        var stored = await AssertStoredEqualsCalcAsync(database, scheme);
        Assert.Equal(["S1 CRITICAL waiting_period", "S2 CRITICAL CONDOLENCE 1000.00", "S3 CRITICAL cover_terminated"], stored);
        await using var db = database.NewContext();
        var denied = await db.Claims.Include(c => c.Lines).SingleAsync(c => c.SettlementId == db.Settlements.Single(s => s.SetlId == "S3").Id, Ct);
        Assert.Equal(ClaimState.NothingPayable, denied.State);
        Assert.Contains("保障责任已终止", Assert.Single(denied.Lines).Explanation);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ManualClaim_WithChemotherapy_PaysTheSecondStage_AndEndsCover(string provider)
    {
        var scheme = Scheme([Mild]);
        await using var database = await CityAsync(provider, scheme, "MILD");
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(10), 10000, 7000, "D05.1")]);
        var chemotherapy = new ClaimEvent
        {
            Diagnoses = "D05.1", TotalCost = Money.FromYuan(3000), InsurancePaid = Money.FromYuan(2000), Procedures = Procedures.Chemotherapy,
        };
        await using (var db = database.NewContext())
        {
            var visit = new ManualClaimRequest("clerk1", Seed.Worker(1), EventKinds.OutpatientSpecial, Start.AddDays(30), chemotherapy, [], []);
            // A treatment is taken only with its record.
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new ManualClaims(db, TimeProvider.System).SubmitAsync(visit, TestActors.Tester, Ct));
            Assert.Contains(refused.Problems, p => p.Message.Contains("手术或放化疗记录", StringComparison.Ordinal));
            await new ManualClaims(db, TimeProvider.System).SubmitAsync(
                visit with { Documents = [new DocumentFile(ClaimEvent.ProcedureRecord, "化疗记录.pdf", TestFiles.Pdf)] }, TestActors.Tester, Ct);
        }
        await ImportAsync(database, [Settlement("S3", 1, Start.AddDays(60), 10000, 7000, "D05.1")]);

        var stored = await AssertStoredEqualsCalcAsync(database, scheme);
        Assert.Equal(3, stored.Count);
        Assert.Equal("S1 MILD STAGE1 3000.00", stored[0]);
        Assert.EndsWith(" MILD STAGE2 4000.00", stored[1], StringComparison.Ordinal);
        Assert.Equal("S3 MILD cover_terminated", stored[2]);
        await using var check = database.NewContext();
        var manual = await check.Claims.Include(c => c.Documents).SingleAsync(c => c.Source == ClaimSource.Manual, Ct);
        Assert.Equal(Procedures.Chemotherapy, manual.Details!.Procedures);
        Assert.Equal(ClaimEvent.ProcedureRecord, Assert.Single(manual.Documents).Type);
    }

    [Fact]
    public async Task Cli_TakesTheTreatments_CheckedAndWithTheirRecord()
    {
        await using var database = await CityAsync("sqlite", Scheme([Mild]), "MILD");
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(10), 10000, 7000, "D05.1")]);
        var record = Path.Combine(Path.GetTempPath(), $"化疗记录-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(record, TestFiles.Pdf, Ct);
        string[] visit = ["claims", "submit", Seed.Worker(1), "--kind", "outpatientSpecial", "--date", Day(Start.AddDays(30)), "--diagnoses", "D05.1",
            "--total-cost", "3000", "--insurance-paid", "2000", "--by", "clerk1", "--db", database.Database.ConnectionString];

        await TestActors.AddClerksAsync(database, "clerk1");
        var unknown = await CliRunner.RunAsync([.. visit, "--procedures", "化疗,针灸", "--doc", $"procedureRecord={record}"]);
        var withoutRecord = await CliRunner.RunAsync([.. visit, "--procedures", "化疗"]);
        var taken = await CliRunner.RunAsync([.. visit, "--procedures", "chemotherapy", "--doc", $"procedureRecord={record}", "--json"]);
        File.Delete(record);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--procedures: 未知的治疗“针灸”", unknown.Stderr);
        Assert.Equal(2, withoutRecord.ExitCode);
        Assert.Contains("须附手术或放化疗记录（procedureRecord）", withoutRecord.Stderr);
        Assert.True(taken.ExitCode == 0, taken.Stderr);
        Assert.Equal(4000m, System.Text.Json.JsonDocument.Parse(taken.Stdout).RootElement.GetProperty("total").GetDecimal());
    }

    [Fact]
    public void ProcedureNames_InCodesOrChinese_AreRead_AndAnUnknownOneIsAProblem()
    {
        var problems = new List<Problem>();
        Assert.Equal(Procedures.Surgery | Procedures.Chemotherapy, ClaimEvent.ParseProcedures(["手术", " chemotherapy ", ""], "procedures", problems));
        Assert.Empty(problems);
        ClaimEvent.ParseProcedures(["针灸"], "procedures", problems);
        Assert.Equal("procedures", Assert.Single(problems).Path);
        var fire = new ClaimEvent { Loss = Money.FromYuan(1000), Procedures = Procedures.Surgery };
        Assert.Contains(fire.Check(EventKinds.Fire, new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 2)), p => p.Path == "procedures");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InsuranceType_FromTheRosterAndTheSettlement_ChoosesTheRuleSet(string provider)
    {
        var scheme = Scheme([ByInsurance]);
        await using var database = await CityAsync(provider, scheme, "INPATIENT",
            [[1, "职工1", Seed.Worker(1), "13800000001", "城乡居民"], [2, "职工2", Seed.Worker(2), "13800000002", "城镇职工"], [3, "职工3", Seed.Worker(3), "13800000003", null]]);
        await using (var db = database.NewContext())
        {
            var types = await db.Members.OrderBy(m => m.IdNumber).ToDictionaryAsync(m => m.IdNumber, m => m.InsuranceType, Ct);
            Assert.Equal((InsuranceType.Resident, InsuranceType.Employee, (InsuranceType?)null), (types[Seed.Worker(1)], types[Seed.Worker(2)], types[Seed.Worker(3)]));
        }
        // Worker 1's roster said resident, but the settlement's 310 says employee insurance paid the stay: the latest word is kept.
        // Worker 3's settlement says 390, resident insurance, and is stored.
        var resident = Settlement("S3", 3, Start.AddDays(20), 10000, 6000, "I10");
        resident[4] = "390";
        await ImportAsync(database, [Settlement("S1", 1, Start.AddDays(10), 10000, 6000, "I10"), resident], accepted: ["310", "390"]);
        // Worker 2's settlement says 310: employee, as the roster said.
        await ImportAsync(database, [Settlement("S2", 2, Start.AddDays(30), 10000, 6000, "I10")], accepted: ["310", "390"]);

        var stored = await AssertStoredEqualsCalcAsync(database, scheme);
        Assert.Equal(["S1 INPATIENT EMPLOYEE 600.00", "S3 INPATIENT RESIDENT 225.00", "S2 INPATIENT EMPLOYEE 600.00"], stored);
        await using var check = database.NewContext();
        Assert.Equal(InsuranceType.Resident, (await check.Members.SingleAsync(m => m.IdNumber == Seed.Worker(3), Ct)).InsuranceType);
    }

    /// <summary>A scheme of the given plans (and combined caps).</summary>
    private static string Scheme(string[] plans, string? combinedCaps = null) =>
        $$"""{ "scheme": "V2-TEST", "name": "规则测试方案", "plans": [ {{string.Join(",", plans)}} ]{{(combinedCaps is null ? "" : $", \"combinedCaps\": {combinedCaps}")}} }""";

    /// <summary>The city with the scheme, workers 1…3 of unit A in the plans from <see cref="Start"/>, every premium paid.</summary>
    private static async Task<TestDatabase> CityAsync(string provider, string scheme, string plans, List<object?[]>? workers = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            await new LoadScheme(db, new FakeTimeProvider()).HandleAsync(scheme, Ct);
            var org = new OrganisationCommands(db);
            await org.SetRegionAsync("330200", "宁波市", Ct);
            await org.AddDistrictAsync("330203", "海曙区", Ct);
            await new UnitCommands(db).SaveAsync(new UnitInput(Seed.UnitA, "甲公司", "330203", "民企", 3, 2), Ct);
            var file = RosterFiles.Write("csv", RosterWithInsurance, workers ?? [.. Seed.Workers(3).Select(w => w.Append(null).ToArray())]);
            var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(Seed.UnitA, null, plans.Split(','), Start), TestActors.Tester, Ct);
            Assert.True(report.Written, string.Join("; ", report.Problems));
        }
        await PayAllAsync(database);
        return database;
    }

    private static async Task ImportAsync(TestDatabase database, IEnumerable<object?[]> rows, string[]? accepted = null)
    {
        await using var db = database.NewContext();
        var report = await new SettlementFeed(db, new FakeTimeProvider(), accepted?.ToHashSet(StringComparer.Ordinal))
            .HandleAsync(RosterFiles.Write("csv", SettlementHeader, rows), Ct);
        Assert.Empty(report.Import.Rejected);
        Assert.Empty(report.Import.Skipped);
    }
}
