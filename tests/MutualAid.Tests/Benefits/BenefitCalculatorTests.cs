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

    private const string ByAdmission = """
        { "code": "FIRST", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.7 } ], "admissionOrdinal": { "min": 1, "max": 1 } },
        { "code": "SECOND", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.6 } ], "admissionOrdinal": { "min": 2, "max": 2 } },
        { "code": "THIRD_ON", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.5 } ], "admissionOrdinal": { "min": 3 } }
        """;

    [Theory]
    [InlineData(new[] { 1000.0, 2000, 3000, 1000 }, new[] { 700.0, 1200, 1500, 500 })]
    [InlineData(new[] { 1000.0, 0, 2000, 0, 3000 }, new[] { 700.0, 0, 1200, 0, 1500 })]
    [InlineData(new[] { 0.0, 1000 }, new[] { 0.0, 700 })]
    public void AdmissionOrdinal_WhenAStayPaysNothing_ItTakesNoNumber(double[] selfPays, double[] paid)
    {
        var builder = OnePlan(ByAdmission);
        for (var i = 0; i < selfPays.Length; i++)
            builder.Stay($"E{i}", "M1", $"2024-0{i + 1}-10", (decimal)selfPays[i]);

        var outcome = builder.Run();

        Assert.Equal(paid.Select(p => (decimal)p), selfPays.Select((_, i) => outcome.Paid($"E{i}")));
    }

    [Fact]
    public void AdmissionOrdinal_InTheNextPeriod_CountsAfresh()
    {
        var outcome = OnePlan(ByAdmission)
            .Enroll("M1", "P", "2025-01-01", "2025-12-31")
            .Stay("E1", "M1", "2024-03-10", 1000).Stay("E2", "M1", "2024-06-10", 1000).Stay("E3", "M1", "2025-02-10", 1000)
            .Run();

        Assert.Equal([700m, 600m, 700m], [outcome.Paid("E1", "FIRST"), outcome.Paid("E2", "SECOND"), outcome.Paid("E3", "FIRST")]);
        Assert.Equal(NoPayReason.NotThisAdmission, outcome.Line("E2", "FIRST").Reason);
    }

    [Fact]
    public void AdmissionOrdinal_WhenMinPayoutCancelsThePayment_TakesNoNumber()
    {
        var benefits = ByAdmission.Replace("\"admissionOrdinal\": { \"min\": 1, \"max\": 1 }", "\"admissionOrdinal\": { \"min\": 1, \"max\": 1 }, \"minPayout\": 50", StringComparison.Ordinal);

        var outcome = OnePlan(benefits).Stay("E1", "M1", "2024-03-10", 50).Stay("E2", "M1", "2024-04-10", 1000).Run();

        Assert.Equal(DenialReason.BelowMinimum, outcome.Denial("E1", "P"));
        Assert.Equal(700m, outcome.Paid("E2", "FIRST"));
    }

    private const string WaitAndCondolence = """
        { "code": "CONDOLENCE", "kind": "lumpSum", "events": ["diagnosis"], "diagnosisPrefixes": ["C"], "amount": 1000, "inWaitingPeriod": { "afterDays": 30 } },
        { "code": "MAIN", "kind": "lumpSum", "events": ["diagnosis"], "diagnosisPrefixes": ["C"], "amount": 10000 }
        """;

    [Theory]
    [InlineData("2024-01-31", null, DenialReason.WaitingPeriod)]
    [InlineData("2024-02-01", "CONDOLENCE", null)]
    [InlineData("2024-03-30", "CONDOLENCE", null)]
    [InlineData("2024-03-31", "MAIN", null)]
    public void InWaitingPeriod_RespondsOnlyInsideTheWaitAfterItsDays(string date, string? paidBy, DenialReason? denial)
    {
        var outcome = OnePlan(WaitAndCondolence, "\"waitingDays\": 89")
            .Event($$"""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "{{date}}", "diagnoses": ["C50.9"] }""")
            .Run();

        Assert.Equal(paidBy, outcome.Result.Payouts.Select(p => p.Line.Benefit.Code).SingleOrDefault());
        Assert.Equal(denial, outcome.Denial("E1", "P"));
    }

    [Fact]
    public void InWaitingPeriod_WhenTheBenefitPaysNothing_TheDenialIsWaitingPeriod()
    {
        var outcome = OnePlan(WaitAndCondolence, "\"waitingDays\": 89")
            .Event("""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "2024-03-01", "diagnoses": ["K35.8"] }""")
            .Run();

        Assert.Equal(NoPayReason.DiagnosisNotListed, outcome.Line("E1", "CONDOLENCE").Reason);
        Assert.Equal(DenialReason.WaitingPeriod, outcome.Denial("E1", "P"));
    }

    [Fact]
    public void TerminatesCover_AfterAPayment_DeniesTheRestOfThePeriodButNotTheNext()
    {
        var benefits = """
            { "code": "MAIN", "kind": "lumpSum", "events": ["diagnosis"], "diagnosisPrefixes": ["C"], "amount": 10000, "terminatesCover": true },
            { "code": "STAY", "kind": "bracketed", "events": ["hospitalization", "diagnosis"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.5 } ] }
            """;
        var outcome = OnePlan(benefits)
            .Enroll("M1", "P", "2025-01-01", "2025-12-31")
            .Stay("E1", "M1", "2024-02-10", 1000)
            .Event("""{ "id": "E2", "member": "M1", "kind": "diagnosis", "date": "2024-03-01", "diagnoses": ["C34.1"], "amounts": { "selfPayInScope": 1000 } }""")
            .Stay("E3", "M1", "2024-08-10", 1000)
            .Stay("E4", "M1", "2025-02-10", 1000)
            .Run();

        Assert.Equal([500m, 10000m, 0m, 500m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3"), outcome.Paid("E4")]);
        Assert.DoesNotContain(outcome.Result.Events.Single(e => e.Event.Id == "E2").Lines, l => l.Benefit.Code == "STAY");
        Assert.Equal(DenialReason.CoverTerminated, outcome.Denial("E3", "P"));
    }

    [Fact]
    public void TerminatesCover_WhenTheCapLeavesNothing_DoesNotEndCover()
    {
        var benefits = """
            { "code": "STAY", "kind": "lumpSum", "events": ["hospitalization", "diagnosis"], "amount": 1000, "once": "lifetime" },
            { "code": "MAIN", "kind": "lumpSum", "events": ["diagnosis"], "amount": 10000, "terminatesCover": true }
            """;
        var outcome = OnePlan(benefits, "\"annualCap\": 1000")
            .Event("""{ "id": "E1", "member": "M1", "kind": "diagnosis", "date": "2024-03-01" }""")
            .Stay("E2", "M1", "2024-04-10", 0)
            .Run();

        Assert.Equal(NoPayReason.CapReached, outcome.Line("E1", "MAIN").Reason);
        Assert.Equal(DenialReason.NoBenefit, outcome.Denial("E2", "P"));
    }

    private const string TwoStages = """
        { "code": "STAGE1", "kind": "lumpSum", "events": ["hospitalization"], "diagnosisPrefixes": ["D0"], "amount": 3000, "perUnit": true },
        { "code": "STAGE2", "kind": "lumpSum", "events": ["hospitalization", "outpatientSpecial"], "diagnosisPrefixes": ["D0"],
          "procedures": ["surgery", "radiotherapy", "chemotherapy"], "after": "STAGE1", "amount": 4000, "perUnit": true }
        """;

    [Theory]
    [InlineData("hospitalization", "[\"surgery\"]", 3000, 4000)]
    [InlineData("hospitalization", "[]", 3000, 0)]
    [InlineData("outpatientSpecial", "[\"chemotherapy\"]", 0, 0)]
    public void After_PaysTheSecondStageOnlyOnceTheFirstIsPaid(string kind, string procedures, decimal stage1, decimal stage2)
    {
        var outcome = OnePlan(TwoStages)
            .Event($$"""{ "id": "E1", "member": "M1", "kind": "{{kind}}", "date": "2024-03-01", "diagnoses": ["D05.1"], "procedures": {{procedures}} }""")
            .Run();

        Assert.Equal((stage1, stage2), (outcome.Paid("E1", "STAGE1"), outcome.Paid("E1", "STAGE2")));
    }

    [Fact]
    public void After_WhenTheFirstStageWasPaidEarlier_PaysALaterVisitWithTreatment()
    {
        var outcome = OnePlan(TwoStages)
            .Stay("E1", "M1", "2024-03-01", "2024-03-08", "{}", "D05.1")
            .Event("""{ "id": "E2", "member": "M1", "kind": "outpatientSpecial", "date": "2024-04-10", "diagnoses": ["D05.1"], "procedures": ["radiotherapy"] }""")
            .Event("""{ "id": "E3", "member": "M1", "kind": "outpatientSpecial", "date": "2024-05-10", "diagnoses": ["D05.1"], "procedures": ["chemotherapy"] }""")
            .Run();

        Assert.Equal([3000m, 4000m, 0m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3")]);
        Assert.Equal(NoPayReason.AlreadyPaid, outcome.Line("E3", "STAGE2").Reason);
    }

    [Fact]
    public void After_WhenTheFirstStageWasNeverPaid_IsNoBenefit()
    {
        var outcome = OnePlan(TwoStages)
            .Event("""{ "id": "E1", "member": "M1", "kind": "outpatientSpecial", "date": "2024-02-10", "diagnoses": ["D05.1"], "procedures": ["surgery"] }""")
            .Run();

        Assert.Equal(NoPayReason.EarlierStageNotPaid, outcome.Line("E1", "STAGE2").Reason);
        Assert.Equal(DenialReason.NoBenefit, outcome.Denial("E1", "P"));
    }

    [Fact]
    public void Procedures_WhenTheEventHasNoneOfThem_TheBenefitIsSkipped()
    {
        var benefit = """{ "code": "OP", "kind": "lumpSum", "events": ["outpatientSpecial"], "amount": 500, "procedures": ["surgery"] }""";

        var outcome = OnePlan(benefit)
            .Event("""{ "id": "E1", "member": "M1", "kind": "outpatientSpecial", "date": "2024-02-10", "procedures": ["chemotherapy"] }""")
            .Run();

        Assert.Equal(NoPayReason.NoListedProcedure, outcome.Line("E1", "OP").Reason);
        Assert.False(outcome.Line("E1", "OP").Computed);
    }

    [Theory]
    [InlineData(100, 0, DenialReason.BelowMinimum)]
    [InlineData(133.30, 20, null)]
    [InlineData(133.29, 0, DenialReason.BelowMinimum)]
    [InlineData(0, 0, DenialReason.NoBenefit)]
    public void MinPayout_BelowTheMinimumAfterRounding_IsNotPaid(decimal selfPay, decimal paid, DenialReason? denial)
    {
        var benefit = """{ "code": "S", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.15 } ], "minPayout": 20 }""";

        var outcome = OnePlan(benefit).Stay("E1", "M1", "2024-03-10", selfPay).Run();

        Assert.Equal(paid, outcome.Paid("E1"));
        Assert.Equal(denial, outcome.Denial("E1", "P"));
    }

    [Fact]
    public void MinPayout_AppliesAfterTheCapsAndACancelledPaymentUsesNoCap()
    {
        var benefit = """{ "code": "S", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.15 } ], "annualCap": 6000, "minPayout": 20 }""";

        var outcome = OnePlan(benefit)
            .Stay("E1", "M1", "2024-03-10", 39800).Stay("E2", "M1", "2024-04-10", 100).Stay("E3", "M1", "2024-05-10", 1000).Stay("E4", "M1", "2024-06-10", 1000)
            .Run();

        // E2's 15.00 is cancelled and leaves the 30.00 under the cap for E3; E4 is capped to 0.
        Assert.Equal([5970m, 0m, 30m, 0m], [outcome.Paid("E1"), outcome.Paid("E2"), outcome.Paid("E3"), outcome.Paid("E4")]);
        Assert.Equal(NoPayReason.BelowMinimum, outcome.Line("E2", "S").Reason);
        Assert.Equal(NoPayReason.CapReached, outcome.Line("E4", "S").Reason);
    }

    [Fact]
    public void MinPayout_CancelledPayment_StillAddsToTheYearsBase()
    {
        var benefit = """{ "code": "Y", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "accumulate": "year", "brackets": [ { "from": 0, "rate": 0.1 } ], "minPayout": 20 }""";

        var outcome = OnePlan(benefit).Stay("E1", "M1", "2024-03-10", 100).Stay("E2", "M1", "2024-04-10", 1000).Run();

        Assert.Equal((0m, 100m), (outcome.Paid("E1"), outcome.Paid("E2")));
    }

    [Fact]
    public void CombinedCap_SharesOneTotalAcrossPlansInTheAnchorsPeriod()
    {
        var outcome = new CaseBuilder()
            .Plan("INPATIENT", """{ "code": "R", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.7 } ] }""")
            .Plan("CRITICAL", """{ "code": "C", "kind": "lumpSum", "events": ["hospitalization"], "amount": 20000 }""")
            .CombinedCap("""{ "plans": ["INPATIENT", "CRITICAL"], "cap": 40000 }""")
            .Member("M1")
            .Enroll("M1", "INPATIENT", "2024-01-01", "2024-12-31")
            .Enroll("M1", "INPATIENT", "2025-01-01", "2025-12-31")
            .Enroll("M1", "CRITICAL", "2024-01-01", "2025-12-31")
            .Stay("E1", "M1", "2024-03-10", 30000)
            .Stay("E2", "M1", "2024-06-10", 10000)
            .Stay("E3", "M1", "2025-02-10", 10000)
            .Run();

        Assert.Equal((21000m, 19000m), (outcome.Paid("E1", "R"), outcome.Paid("E1", "C")));
        Assert.Equal(0m, outcome.Paid("E2"));
        Assert.Equal(NoPayReason.CapReached, outcome.Line("E2", "R").Reason);
        Assert.Equal(7000m, outcome.Paid("E3", "R"));
    }

    [Fact]
    public void CombinedCap_WhenNoAnchorPeriodCoversTheDate_NeitherLimitsNorCounts()
    {
        var outcome = new CaseBuilder()
            .Plan("INPATIENT", """{ "code": "R", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.7 } ] }""")
            .Plan("CRITICAL", """{ "code": "C", "kind": "lumpSum", "events": ["hospitalization"], "amount": 20000, "once": "lifetime" }""")
            .CombinedCap("""{ "plans": ["INPATIENT", "CRITICAL"], "cap": 10000 }""")
            .Member("M1")
            .Enroll("M1", "INPATIENT", "2024-07-01", "2024-12-31")
            .Enroll("M1", "CRITICAL", "2024-01-01", "2024-12-31")
            .Stay("E1", "M1", "2024-03-10", 0)
            .Stay("E2", "M1", "2024-08-10", 10000)
            .Run();

        Assert.Equal(20000m, outcome.Paid("E1", "C"));
        Assert.Equal(7000m, outcome.Paid("E2", "R"));
    }

    [Theory]
    [InlineData("employee", "EMPLOYEE", 1200)]
    [InlineData("resident", "RESIDENT", 450)]
    [InlineData("other", "RESIDENT", 450)]
    [InlineData(null, null, 0)]
    public void InsuranceTypes_PayOnlyTheMembersRuleSet(string? insuranceType, string? paidBy, decimal paid)
    {
        var benefits = """
            { "code": "EMPLOYEE", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.15 } ], "insuranceTypes": ["employee"] },
            { "code": "RESIDENT", "kind": "bracketed", "events": ["hospitalization"], "base": "totalCost", "brackets": [ { "from": 0, "rate": 0.0225 } ], "insuranceTypes": ["resident", "other"] }
            """;
        var outcome = new CaseBuilder().Plan("P", benefits).Member("M1", insuranceType: insuranceType)
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Stay("E1", "M1", "2024-03-01", "2024-03-10", """{ "totalCost": 20000, "insurancePaid": 11000, "selfPayInScope": 8000 }""")
            .Run();

        Assert.Equal(paid, outcome.Paid("E1"));
        Assert.Equal(paidBy, outcome.Result.Payouts.Select(p => p.Line.Benefit.Code).SingleOrDefault());
        Assert.Equal(paidBy is null ? DenialReason.NoBenefit : null, outcome.Denial("E1", "P"));
    }
}
