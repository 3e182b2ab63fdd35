using MutualAid.Benefits;

namespace MutualAid.Tests.Benefits;

/// <summary>A scheme or case that breaks a rule is refused with every problem, each at its JSON path.</summary>
public sealed class SchemeReaderTests
{
    private const string Good = """{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 0.5 } ] }""";

    private static IReadOnlyList<Problem> ProblemsOfBenefit(string benefit) =>
        new CaseBuilder().Plan("P", benefit).Member("M1").Enroll("M1", "P", "2024-01-01", "2024-12-31").Problems();

    [Theory]
    [InlineData("\"kind\": \"bracketed\"", "\"kind\": \"progressive\"", "benefits[0].kind", "unknown benefit kind")]
    [InlineData("\"events\": [\"hospitalization\"]", "\"events\": [\"surgery\"]", "benefits[0].events[0]", "unknown value")]
    [InlineData("\"base\": \"selfPay\"", "\"base\": \"ownPay\"", "benefits[0].base", "unknown value")]
    [InlineData("\"kind\"", "\"accumulate\": \"month\", \"kind\"", "benefits[0].accumulate", "unknown value")]
    [InlineData("\"kind\"", "\"appliesTo\": \"old\", \"kind\"", "benefits[0].appliesTo", "unknown value")]
    [InlineData("\"rate\": 0.5", "\"rate\": 1.5", "brackets[0].rate", "rate outside 0–1")]
    [InlineData("\"rate\": 0.5", "\"rate\": -0.1", "brackets[0].rate", "rate outside 0–1")]
    [InlineData("\"kind\"", "\"annualCap\": -1, \"kind\"", "benefits[0].annualCap", "must not be negative")]
    [InlineData("\"kind\"", "\"perClaimCap\": 10.005, \"kind\"", "benefits[0].perClaimCap", "at most two decimals")]
    [InlineData("\"from\": 0, \"rate\": 0.5 }", "\"from\": 0, \"rate\": 0.5 }, { \"from\": 100, \"rate\": 0.2 }", "brackets[1]", "overlaps or goes backwards")]
    [InlineData("\"from\": 0, \"rate\": 0.5", "\"from\": 500, \"to\": 500, \"rate\": 0.5", "brackets[0]", "overlaps or goes backwards")]
    [InlineData("\"brackets\": [ { \"from\": 0, \"rate\": 0.5 } ]", "\"brackets\": []", "benefits[0].brackets", "must not be empty")]
    [InlineData("\"code\": \"B\"", "\"code\": \"b-1\"", "benefits[0].code", "A-Z0-9_")]
    public void BrokenBenefit_IsRefusedAtItsPath(string replace, string with, string path, string reason)
    {
        var problems = ProblemsOfBenefit(Good.Replace(replace, with, StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Path.EndsWith(path, StringComparison.Ordinal) && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void OverlappingBrackets_AreNamedWithTheFullPath()
    {
        var benefit = """{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 1000, "to": 5000, "rate": 0.3 }, { "from": 4000, "to": 20000, "rate": 0.4 } ] }""";

        var problem = Assert.Single(ProblemsOfBenefit(benefit));

        Assert.Equal("scheme.plans[0].versions[0].benefits[0].brackets[1]", problem.Path);
        Assert.Contains("重叠", problem.Message);
    }

    [Fact]
    public void Tiers_NeedEitherRateOrAmount()
    {
        var benefit = """{ "code": "T", "kind": "tiered", "events": ["hospitalization"], "base": "selfPay", "tiers": [ { "from": 0, "to": 100, "rate": 0.1, "amount": 5 }, { "from": 200 } ] }""";

        var problems = ProblemsOfBenefit(benefit);

        Assert.Contains(problems, p => p.Path.EndsWith("tiers[0]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path.EndsWith("tiers[1]", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownGradeInTable_IsRefused()
    {
        var benefit = """{ "code": "S", "kind": "schedule", "events": ["accident"], "table": { "11": 100 } }""";

        Assert.Contains(ProblemsOfBenefit(benefit), p => p.Path.EndsWith("table.11", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownOnce_IsRefused()
    {
        var benefit = """{ "code": "L", "kind": "lumpSum", "events": ["diagnosis"], "amount": 100, "once": "twice" }""";

        Assert.Contains(ProblemsOfBenefit(benefit), p => p.Path.EndsWith("benefits[0].once", StringComparison.Ordinal));
    }

    [Fact]
    public void ManyProblems_AreAllReported()
    {
        var problems = new CaseBuilder()
            .Plan("P", Good.Replace("0.5", "2", StringComparison.Ordinal), "\"continuityWith\": [\"NOPE\"], \"maxUnits\": 0")
            .Plan("P", Good)
            .Member("M1").Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2023-12-31")
            .Enroll("M2", "P", "2024-01-01", "2024-12-31", units: 0)
            .Stay("E1", "NOBODY", "2024-03-10", 100)
            .Problems();

        var paths = problems.Select(p => p.Path).ToList();
        Assert.Contains("scheme.plans[0].versions[0].benefits[0].brackets[0].rate", paths);
        Assert.Contains("scheme.plans[0].continuityWith[0]", paths);
        Assert.Contains("scheme.plans[0].maxUnits", paths);
        Assert.Contains("scheme.plans[1].code", paths);
        Assert.Contains("members[1].id", paths);
        Assert.Contains("enrollments[0].end", paths);
        Assert.Contains("enrollments[1].member", paths);
        Assert.Contains("enrollments[1].units", paths);
        Assert.Contains("events[0].member", paths);
    }

    [Fact]
    public void OverlappingPeriodsOfOnePlan_AreRefused()
    {
        var problems = new CaseBuilder().Plan("P", Good).Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Enroll("M1", "P", "2024-12-31", "2025-12-30")
            .Problems();

        Assert.Contains(problems, p => p.Path == "enrollments[1].start" && p.Message.Contains("overlaps", StringComparison.Ordinal));
    }

    [Fact]
    public void PeriodBeforeTheFirstVersion_IsRefused()
    {
        var problems = new CaseBuilder().Plan("P", Good).Member("M1").Enroll("M1", "P", "2019-12-31", "2020-12-30").Problems();

        Assert.Contains(problems, p => p.Path == "enrollments[0].start" && p.Message.Contains("before any version", StringComparison.Ordinal));
    }

    [Fact]
    public void NegativeEventAmount_IsRefused()
    {
        var problems = new CaseBuilder().Plan("P", Good).Member("M1")
            .Stay("E1", "M1", "2024-03-01", "2024-03-02", """{ "selfPay": -5 }""")
            .Problems();

        Assert.Contains(problems, p => p.Path == "events[0].amounts.selfPay");
    }

    [Fact]
    public void UnknownField_IsAWarningNotAnError()
    {
        var json = """
            { "scheme": "S", "plans": [ { "code": "P", "anualCap": 100,
              "versions": [ { "effectiveFrom": "2024-01-01", "benefits": [] } ] } ] }
            """;
        var problems = new Problems();
        using var document = System.Text.Json.JsonDocument.Parse(json);

        var scheme = SchemeReader.Read(document.RootElement, "", problems);

        Assert.NotNull(scheme);
        Assert.Empty(problems.Errors);
        Assert.Equal("plans[0].anualCap", Assert.Single(problems.Warnings).Path);
    }

    [Fact]
    public void Parse_OnStandaloneSchemeFile_ReportsPathsFromItsRoot()
    {
        var error = Assert.Throws<InvalidInputException>(() => SchemeReader.Parse("""{ "scheme": "S", "plans": [ { "code": "P" } ] }"""));

        Assert.Equal("plans[0].versions", Assert.Single(error.Problems).Path);
        Assert.Contains("required", error.Problems[0].Message);
    }

    [Theory]
    [InlineData("\"promiseDays\": 7", "\"promiseDays\": 7, \"pooling\": { \"poolShare\": 1.5 }", "pooling.poolShare", "rate outside 0–1")]
    [InlineData("\"promiseDays\": 7", "\"promiseDays\": 0", "promiseDays", "")]
    [InlineData("\"documents\": [\"idCard\", \"dischargeSummary\", \"invoice\", \"expenseList\"]", "\"documents\": [\"photo\"]", "plans[0].documents[0]", "unknown value")]
    public void BrokenExtension_IsRefusedAtItsPath(string replace, string with, string path, string reason)
    {
        var json = File.ReadAllText(Path.Combine(TestPaths.Schemes, "ningbo.json")).Replace("\"pooling\": { \"poolShare\": 0.5 },", "", StringComparison.Ordinal);
        var index = json.IndexOf(replace, StringComparison.Ordinal);
        json = json[..index] + with + json[(index + replace.Length)..];

        var error = Assert.Throws<InvalidInputException>(() => SchemeReader.Parse(json));

        Assert.Contains(error.Problems, p => p.Path == path && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void TheExampleScheme_ReadsItsExtensions()
    {
        var scheme = SchemeReader.Parse(File.ReadAllText(Path.Combine(TestPaths.Schemes, "ningbo.json")));

        Assert.Equal((0.5m, 7), (scheme.PoolShare, scheme.PromiseDays));
        Assert.Equal(["idCard", "dischargeSummary", "invoice", "expenseList"], scheme.FindPlan("INPATIENT")!.Documents);
    }

    private const string Lump = """{ "code": "L", "kind": "lumpSum", "events": ["hospitalization"], "amount": 100 }""";

    private const string LumpOnDiagnosis = """{ "code": "L", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "amount": 100 }""";

    [Theory]
    [InlineData(Good, "\"insuranceTypes\": []", "benefits[0].insuranceTypes", "must not be empty")]
    [InlineData(Good, "\"insuranceTypes\": [\"urban\"]", "benefits[0].insuranceTypes[0]", "unknown value")]
    [InlineData(Good, "\"procedures\": []", "benefits[0].procedures", "must not be empty")]
    [InlineData(Good, "\"procedures\": [\"dialysis\"]", "benefits[0].procedures[0]", "unknown value")]
    [InlineData(Good, "\"admissionOrdinal\": { \"min\": 0 }", "benefits[0].admissionOrdinal.min", "at least 1")]
    [InlineData(Good, "\"admissionOrdinal\": { \"min\": 1.5 }", "benefits[0].admissionOrdinal.min", "whole number")]
    [InlineData(Good, "\"admissionOrdinal\": { \"min\": 3, \"max\": 2 }", "benefits[0].admissionOrdinal.max", "max below min")]
    [InlineData(Good, "\"admissionOrdinal\": { \"min\": 1, \"max\": 2.5 }", "benefits[0].admissionOrdinal.max", "whole number")]
    [InlineData(LumpOnDiagnosis, "\"admissionOrdinal\": { \"min\": 2 }", "benefits[0].admissionOrdinal", "hospitalization")]
    [InlineData(Good, "\"terminatesCover\": \"yes\"", "benefits[0].terminatesCover", "boolean")]
    [InlineData(Good, "\"minPayout\": -20", "benefits[0].minPayout", "must not be negative")]
    [InlineData(Good, "\"after\": \"L\"", "benefits[0].after", "after goes with lumpSum")]
    [InlineData(Lump, "\"after\": \"L\"", "benefits[0].after", "no lumpSum listed before")]
    public void BrokenV2Option_IsRefusedAtItsPath(string benefit, string option, string path, string reason)
    {
        var problems = ProblemsOfBenefit(benefit.Replace("{ \"code\"", "{ " + option + ", \"code\"", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Path.EndsWith(path, StringComparison.Ordinal) && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void After_NamingALumpSumListedLater_IsRefused()
    {
        var benefits = """
            { "code": "SECOND", "kind": "lumpSum", "events": ["hospitalization"], "amount": 100, "after": "FIRST" },
            { "code": "FIRST", "kind": "lumpSum", "events": ["hospitalization"], "amount": 100 }
            """;

        Assert.Contains(ProblemsOfBenefit(benefits), p => p.Path == "scheme.plans[0].versions[0].benefits[0].after");
    }

    [Theory]
    [InlineData(90, "-1", "must not be negative")]
    [InlineData(90, "2.5", "whole number")]
    [InlineData(90, "90", "below the plan's waitingDays")]
    [InlineData(0, "0", "below the plan's waitingDays")]
    public void InWaitingPeriod_AfterDaysNotWholeOrNotBelowTheWait_IsRefused(int waitingDays, string afterDays, string reason)
    {
        var benefit = Lump.Replace("{ \"code\"", $"{{ \"inWaitingPeriod\": {{ \"afterDays\": {afterDays} }}, \"code\"", StringComparison.Ordinal);

        var problems = new CaseBuilder().Plan("P", benefit, $"\"waitingDays\": {waitingDays}").Member("M1").Problems();

        Assert.Contains(problems, p => p.Path == "scheme.plans[0].versions[0].benefits[0].inWaitingPeriod.afterDays" && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "plans": ["P", "NOPE"], "cap": 100 }""", "scheme.combinedCaps[0].plans", "unknown plan")]
    [InlineData("""{ "plans": ["P", "P"], "cap": 100 }""", "scheme.combinedCaps[0].plans", "plan listed twice")]
    [InlineData("""{ "plans": ["P"], "cap": 100 }""", "scheme.combinedCaps[0].plans", "fewer than two plans")]
    [InlineData("""{ "plans": ["P", "Q"] }""", "scheme.combinedCaps[0].cap", "required")]
    [InlineData("""{ "plans": ["P", "Q"], "cap": -1 }""", "scheme.combinedCaps[0].cap", "must not be negative")]
    public void BrokenCombinedCap_IsRefusedAtItsPath(string combinedCap, string path, string reason)
    {
        var problems = new CaseBuilder().Plan("P", Good).Plan("Q", Lump).CombinedCap(combinedCap).Member("M1").Problems();

        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownInsuranceTypeOfAMember_IsRefused()
    {
        var problems = new CaseBuilder().Plan("P", Good).Member("M1", insuranceType: "urban").Problems();

        Assert.Contains(problems, p => p.Path == "members[0].insuranceType" && p.Message.Contains("unknown value", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownProcedureOfAnEvent_IsRefused()
    {
        var problems = new CaseBuilder().Plan("P", Good).Member("M1").Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Event("""{ "id": "E1", "member": "M1", "kind": "outpatientSpecial", "date": "2024-03-01", "procedures": ["dialysis"] }""")
            .Problems();

        Assert.Contains(problems, p => p.Path == "events[0].procedures[0]" && p.Message.Contains("unknown value", StringComparison.Ordinal));
    }

    [Fact]
    public void V2Options_WhenNull_ReadAsVersionOne()
    {
        var benefit = Lump.Replace("{ \"code\"", """{ "insuranceTypes": null, "admissionOrdinal": null, "procedures": null, "inWaitingPeriod": null, "terminatesCover": null, "minPayout": null, "after": null, "code" """, StringComparison.Ordinal);

        var calc = CalcCase.Parse(new CaseBuilder().Plan("P", benefit).Member("M1").ToJson());

        var read = Assert.Single(calc.Scheme.Plans[0].Versions[0].Benefits);
        Assert.Equal((null, null, Procedures.None, null, false, null), (read.InsuranceTypes, read.AdmissionOrdinal, read.Procedures, read.InWaitingPeriodAfterDays, read.TerminatesCover, read.MinPayout));
    }
}
