using MutualAid.Benefits;

namespace MutualAid.Tests.Benefits;

/// <summary>The rules of benefit-rules.md §3–4, one edge at a time.</summary>
public sealed class BenefitCalculatorTests
{
    private const string Progressive = """
        { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "annualCap": 20000,
          "brackets": [ { "from": 1000, "to": 5000, "rate": 0.3 }, { "from": 5000, "to": 20000, "rate": 0.4 }, { "from": 20000, "rate": 0.5 } ] }
        """;

    private const string CriticalLump = """
        { "code": "L", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "diagnosisPrefixes": ["C"], "amount": 10000 }
        """;

    private static CaseBuilder OnePlan(string benefit, string extra = "") =>
        new CaseBuilder().Plan("P", benefit, extra).Member("M1").Enroll("M1", "P", "2024-01-01", "2024-12-31");

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(5000, 1200)]
    [InlineData(5000.01, 1200)]
    [InlineData(20000, 7200)]
    [InlineData(30000, 12200)]
    public void Bracketed_OnAndAroundBounds_PaysEachPartAtItsRate(decimal selfPay, decimal paid) =>
        Assert.Equal(paid, OnePlan(Progressive).Stay("E1", "M1", "2024-03-10", selfPay).Run().Paid("E1"));

    [Fact]
    public void Bracketed_AtTheDeductible_PaysNothingBelowDeductible()
    {
        var outcome = OnePlan(Progressive).Stay("E1", "M1", "2024-03-10", 1000).Run();

        Assert.Equal(NoPayReason.BelowDeductible, outcome.Line("E1", "B").Reason);
        Assert.Equal(DenialReason.NoBenefit, outcome.Denial("E1", "P"));
    }

    [Theory]
    [InlineData(1000.01, 0)]
    [InlineData(1000.02, 0.01)]
    [InlineData(1000.05, 0.02)]
    public void Bracketed_OnFractionsOfAFen_RoundsHalfAwayFromZero(decimal selfPay, decimal paid) =>
        Assert.Equal(paid, OnePlan(Progressive).Stay("E1", "M1", "2024-03-10", selfPay).Run().Paid("E1"));

    [Fact]
    public void Tiered_OnX_XX5_RoundsUp()
    {
        var tiered = """{ "code": "T", "kind": "tiered", "events": ["hospitalization"], "base": "selfPayInScope", "tiers": [ { "from": 5000, "rate": 0.015 } ] }""";

        Assert.Equal(75.50m, OnePlan(tiered).Stay("E1", "M1", "2024-03-10", 5033).Run().Paid("E1"));
    }

    [Fact]
    public void Tiered_WithAbove_AppliesRateOnlyAboveFrom()
    {
        var tiered = """{ "code": "T", "kind": "tiered", "events": ["hospitalization"], "base": "selfPayInScope", "tiers": [ { "from": 0, "to": 10000, "rate": 0 }, { "from": 10000, "rate": 0.5, "above": true } ] }""";

        Assert.Equal(1000m, OnePlan(tiered).Stay("E1", "M1", "2024-03-10", 12000).Run().Paid("E1"));
    }

    [Fact]
    public void AnnualCap_ReachedInsideAClaim_PaysWhatIsLeftThenNothing()
    {
        var outcome = OnePlan(Progressive)
            .Stay("E1", "M1", "2024-02-01", 30000)
            .Stay("E2", "M1", "2024-03-01", 30000)
            .Stay("E3", "M1", "2024-04-01", 30000)
            .Run();

        Assert.Equal(12200m, outcome.Paid("E1"));
        Assert.Equal(7800m, outcome.Paid("E2"));
        Assert.Equal(0m, outcome.Paid("E3"));
        Assert.Equal(NoPayReason.CapReached, outcome.Line("E3", "B").Reason);
    }

    [Fact]
    public void AnnualCap_InTheNextPeriod_StartsAgain()
    {
        var outcome = OnePlan(Progressive)
            .Enroll("M1", "P", "2025-01-01", "2025-12-31")
            .Stay("E1", "M1", "2024-02-01", 60000)
            .Stay("E2", "M1", "2025-02-01", 60000)
            .Run();

        Assert.Equal(20000m, outcome.Paid("E1"));
        Assert.Equal(20000m, outcome.Paid("E2"));
    }

    [Fact]
    public void PerClaimCap_AppliesBeforeTheAnnualCap()
    {
        var benefit = Progressive.Replace("\"annualCap\": 20000", "\"perClaimCap\": 10000, \"annualCap\": 15000", StringComparison.Ordinal);

        var outcome = OnePlan(benefit).Stay("E1", "M1", "2024-02-01", 30000).Stay("E2", "M1", "2024-03-01", 30000).Run();

        Assert.Equal(10000m, outcome.Paid("E1"));
        Assert.Equal(5000m, outcome.Paid("E2"));
    }

    [Fact]
    public void PlanAnnualCap_CutsLaterBenefitsOfTheSameEvent()
    {
        var benefits = """
            { "code": "A", "kind": "lumpSum", "events": ["hospitalization"], "amount": 800 },
            { "code": "B", "kind": "lumpSum", "events": ["hospitalization"], "amount": 500 }
            """;

        var outcome = OnePlan(benefits, "\"annualCap\": 1000").Stay("E1", "M1", "2024-03-10", 0).Run();

        Assert.Equal(800m, outcome.Paid("E1", "A"));
        Assert.Equal(200m, outcome.Paid("E1", "B"));
    }

    [Fact]
    public void LifetimeCap_CarriesAcrossPeriods()
    {
        var benefit = """{ "code": "L", "kind": "lumpSum", "events": ["hospitalization"], "amount": 3000, "lifetimeCap": 5000 }""";

        var outcome = OnePlan(benefit)
            .Enroll("M1", "P", "2025-01-01", "2025-12-31")
            .Enroll("M1", "P", "2026-01-01", "2026-12-31")
            .Stay("E1", "M1", "2024-03-10", 0).Stay("E2", "M1", "2025-03-10", 0).Stay("E3", "M1", "2026-03-10", 0)
            .Run();

        Assert.Equal([3000m, 2000m, 0m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3")]);
    }

    [Theory]
    [InlineData("2024-03-31", 0)]
    [InlineData("2024-04-01", 10000)]
    public void WaitingPeriod_DayNinetyIsDeniedAndDayNinetyOnePays(string date, decimal paid)
    {
        var outcome = OnePlan(CriticalLump, "\"waitingDays\": 90")
            .Event($$"""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "{{date}}", "diagnoses": ["C34.1"] }""")
            .Run();

        Assert.Equal(paid, outcome.Paid("E1"));
        Assert.Equal(paid == 0 ? DenialReason.WaitingPeriod : null, outcome.Denial("E1", "P"));
    }

    [Theory]
    [InlineData("2024-05-31", 10000)]
    [InlineData("2024-06-01", 0)]
    public void RenewalGrace_ThirtyDaysKeepsTheChainAndThirtyOneBreaksIt(string renewalStart, decimal paid)
    {
        // The first period ends on 04-30; a renewal on 05-31 leaves 30 uncovered days, one on 06-01 leaves 31.
        var outcome = new CaseBuilder()
            .Plan("P", CriticalLump, "\"waitingDays\": 90, \"renewalGraceDays\": 30")
            .Member("M1")
            .Enroll("M1", "P", "2023-05-01", "2024-04-30")
            .Enroll("M1", "P", renewalStart, "2025-04-30")
            .Event("""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "2024-07-01", "diagnoses": ["C34.1"] }""")
            .Run();

        Assert.Equal(paid, outcome.Paid("E1"));
    }

    [Fact]
    public void Renewal_WithoutGap_CarriesNoNewWaitingPeriod()
    {
        var outcome = new CaseBuilder()
            .Plan("P", CriticalLump, "\"waitingDays\": 90")
            .Member("M1")
            .Enroll("M1", "P", "2023-01-01", "2023-12-31")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Event("""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "2024-01-02", "diagnoses": ["C34.1"] }""")
            .Run();

        Assert.Equal(10000m, outcome.Paid("E1"));
    }

    [Theory]
    [InlineData(true, 1700)]
    [InlineData(false, 1400)]
    public void ContinuityWith_AnotherPlan_MakesTheMemberContinuing(bool linked, decimal paid)
    {
        var rates = """
            { "code": "CONTINUING", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "appliesTo": "continuing",
              "brackets": [ { "from": 0, "to": 3000, "rate": 0.5 }, { "from": 3000, "rate": 0.1 } ] },
            { "code": "NEW", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "appliesTo": "new",
              "brackets": [ { "from": 0, "to": 3000, "rate": 0.4 }, { "from": 3000, "rate": 0.1 } ] }
            """;
        var outcome = new CaseBuilder()
            .Plan("INPATIENT", Progressive)
            .Plan("RETIREE", rates, linked ? "\"continuityWith\": [\"INPATIENT\"]" : "")
            .Member("R1", type: "retired")
            .Enroll("R1", "INPATIENT", "2022-05-01", "2023-04-30")
            .Enroll("R1", "RETIREE", "2023-05-01", "2024-04-30")
            .Stay("E1", "R1", "2023-08-01", 5000)
            .Run();

        Assert.Equal(paid, outcome.Paid("E1"));
        Assert.Equal(NoPayReason.NotForThisMember, outcome.Line("E1", linked ? "NEW" : "CONTINUING").Reason);
    }

    [Fact]
    public void PerUnit_MultipliesTheSumButNotTheCap()
    {
        var benefit = """{ "code": "L", "kind": "lumpSum", "events": ["diagnosis"], "amount": 10000, "perUnit": true, "annualCap": 25000 }""";
        var outcome = new CaseBuilder()
            .Plan("P", benefit, "\"maxUnits\": 3")
            .Member("M1").Member("M2")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31", units: 2)
            .Enroll("M2", "P", "2024-01-01", "2024-12-31", units: 3)
            .Event("""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "2024-03-01", "diagnoses": ["C50"] }""")
            .Event("""{ "id": "E2", "member": "M2", "kind": "diagnosis", "date": "2024-03-01", "diagnoses": ["C50"] }""")
            .Run();

        Assert.Equal(20000m, outcome.Paid("E1"));
        Assert.Equal(25000m, outcome.Paid("E2"));
    }

    [Fact]
    public void PerDay_PerUnit_MultipliesTheDailySum()
    {
        var benefit = """{ "code": "D", "kind": "perDay", "events": ["hospitalization"], "amountPerDay": 50, "perUnit": true }""";
        var outcome = new CaseBuilder().Plan("P", benefit).Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31", units: 2)
            .Stay("E1", "M1", "2024-03-01", "2024-03-11")
            .Run();

        Assert.Equal(1000m, outcome.Paid("E1"));
    }

    [Fact]
    public void Versions_AreChosenByThePeriodStartNotTheEventDate()
    {
        var plan = """
            { "code": "P", "name": "住院", "versions": [
              { "effectiveFrom": "2014-01-01", "benefits": [ { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.2 } ] } ] },
              { "effectiveFrom": "2015-01-01", "benefits": [ { "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.3 } ] } ] } ] }
            """;
        var outcome = new CaseBuilder().RawPlan(plan).Member("M1")
            .Enroll("M1", "P", "2014-07-01", "2015-06-30")
            .Enroll("M1", "P", "2015-07-01", "2016-06-30")
            .Stay("E1", "M1", "2015-02-10", 1000)
            .Stay("E2", "M1", "2015-08-10", 1000)
            .Run();

        Assert.Equal(200m, outcome.Paid("E1"));
        Assert.Equal(300m, outcome.Paid("E2"));
    }

    [Fact]
    public void DuplicateEvent_PaysOnceAndIsDeniedForEveryPlanHeld()
    {
        var outcome = new CaseBuilder()
            .Plan("P", Progressive).Plan("Q", CriticalLump)
            .Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Enroll("M1", "Q", "2023-01-01", "2023-12-31")
            .Stay("E1", "M1", "2024-03-10", 6000)
            .Stay("E1", "M1", "2024-03-10", 6000)
            .Run();

        Assert.Equal(1600m, outcome.Total.Yuan);
        Assert.Equal(2, outcome.Result.Denials.Count(d => d.Reason == DenialReason.DuplicateEvent));
    }

    [Fact]
    public void Event_OnThePeriodsLastDay_IsCoveredAndTheNextDayIsNot()
    {
        var outcome = OnePlan(Progressive).Stay("E1", "M1", "2024-12-31", 6000).Stay("E2", "M1", "2025-01-01", 6000).Run();

        Assert.Equal(1600m, outcome.Paid("E1"));
        Assert.Equal(DenialReason.NotEnrolled, outcome.Denial("E2", "P"));
    }

    [Fact]
    public void Member_WithoutAnyEnrollment_GetsOneDenialWithoutPlan()
    {
        var outcome = new CaseBuilder().Plan("P", Progressive).Member("M9").Stay("E1", "M9", "2024-03-10", 6000).Run();

        Assert.Single(outcome.Result.Denials);
        Assert.Equal(DenialReason.NotEnrolled, outcome.Denial("E1"));
    }

    [Theory]
    [InlineData("F", "in_service", null)]
    [InlineData("M", "in_service", DenialReason.NotEligible)]
    [InlineData("F", "retired", DenialReason.NotEligible)]
    public void Eligibility_ByGenderAndMemberType(string gender, string type, DenialReason? denial)
    {
        var outcome = new CaseBuilder()
            .Plan("FEMALE", CriticalLump, "\"genders\": [\"F\"], \"memberTypes\": [\"in_service\"]")
            .Member("M1", gender, type)
            .Enroll("M1", "FEMALE", "2024-01-01", "2024-12-31")
            .Stay("E1", "M1", "2024-03-01", "2024-03-05", "{}", "C50.9")
            .Run();

        Assert.Equal(denial, outcome.Denial("E1", "FEMALE"));
    }

    [Fact]
    public void LumpSum_OncePerPeriod_PaysAgainNextPeriodButOncePerLifetimeDoesNot()
    {
        var benefits = """
            { "code": "PERIOD", "kind": "lumpSum", "events": ["hospitalization"], "amount": 200 },
            { "code": "EVER", "kind": "lumpSum", "events": ["hospitalization"], "amount": 5000, "once": "lifetime" }
            """;
        var outcome = OnePlan(benefits)
            .Enroll("M1", "P", "2025-01-01", "2025-12-31")
            .Stay("E1", "M1", "2024-03-10", 0).Stay("E2", "M1", "2024-05-10", 0).Stay("E3", "M1", "2025-03-10", 0)
            .Run();

        Assert.Equal([5200m, 0m, 200m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3")]);
        Assert.Equal(NoPayReason.AlreadyPaid, outcome.Line("E3", "EVER").Reason);
    }

    [Fact]
    public void PerDay_MinDaysAndDayLimits()
    {
        var benefit = """{ "code": "D", "kind": "perDay", "events": ["hospitalization"], "amountPerDay": 30, "minDays": 3, "maxDaysPerClaim": 30, "maxDaysPerPeriod": 40 }""";
        var outcome = OnePlan(benefit)
            .Stay("E1", "M1", "2024-01-01", "2024-01-03")
            .Stay("E2", "M1", "2024-02-01", "2024-03-17")
            .Stay("E3", "M1", "2024-05-01", "2024-05-16")
            .Stay("E4", "M1", "2024-07-01", "2024-07-06")
            .Run();

        Assert.Equal([0m, 900m, 300m, 0m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3"), outcome.Paid("E4")]);
        Assert.Equal(NoPayReason.TooFewDays, outcome.Line("E1", "D").Reason);
        Assert.Equal(NoPayReason.NoDaysLeft, outcome.Line("E4", "D").Reason);
    }

    [Theory]
    [InlineData("9", 1000)]
    [InlineData("7", 0)]
    [InlineData("death", 20000)]
    public void Schedule_PaysTheGradesSumOrNothing(string grade, decimal paid)
    {
        var benefit = """{ "code": "S", "kind": "schedule", "events": ["accident"], "table": { "death": 20000, "9": 1000 } }""";

        var outcome = OnePlan(benefit)
            .Event($$"""{ "id": "E1", "member": "M1", "kind": "accident", "date": "2024-02-02", "grade": "{{grade}}" }""")
            .Run();

        Assert.Equal(paid, outcome.Paid("E1"));
    }

    [Fact]
    public void Schedule_GradeWrittenAsANumber_IsTheSameGrade()
    {
        var benefit = """{ "code": "S", "kind": "schedule", "events": ["accident"], "table": { "9": 1000 } }""";

        var outcome = OnePlan(benefit).Event("""{ "id": "E1", "member": "M1", "kind": "accident", "date": "2024-02-02", "grade": 9 }""").Run();

        Assert.Equal(1000m, outcome.Paid("E1"));
    }

    [Fact]
    public void AccumulateYear_OnlyComputedEventsAddToTheBase()
    {
        // The first stay falls in the waiting period: its cost does not count towards the annual deductible.
        var benefit = """{ "code": "Y", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "accumulate": "year", "brackets": [ { "from": 2000, "rate": 0.5 } ] }""";
        var outcome = OnePlan(benefit, "\"waitingDays\": 30")
            .Stay("E1", "M1", "2024-01-10", 1500)
            .Stay("E2", "M1", "2024-03-10", 3000)
            .Run();

        Assert.Equal(DenialReason.WaitingPeriod, outcome.Denial("E1", "P"));
        Assert.Equal(500m, outcome.Paid("E2"));
    }

    [Fact]
    public void SelfPay_WhenAbsent_IsTotalCostLessInsurance()
    {
        var benefit = """{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 0.5 } ] }""";

        var outcome = OnePlan(benefit).Stay("E1", "M1", "2024-03-01", "2024-03-05", """{ "totalCost": 9000, "insurancePaid": 7000 }""").Run();

        Assert.Equal(1000m, outcome.Paid("E1"));
    }

    [Fact]
    public void Events_AreTakenByDateThenId_NotInputOrder()
    {
        var outcome = OnePlan(Progressive)
            .Stay("E2", "M1", "2024-03-01", 30000)
            .Stay("E1", "M1", "2024-03-01", 30000)
            .Stay("E0", "M1", "2024-04-01", 30000)
            .Run();

        Assert.Equal(["E1", "E2", "E0"], outcome.Result.Events.Select(e => e.Event.Id));
        Assert.Equal(12200m, outcome.Paid("E1"));
        Assert.Equal(7800m, outcome.Paid("E2"));
    }
}
