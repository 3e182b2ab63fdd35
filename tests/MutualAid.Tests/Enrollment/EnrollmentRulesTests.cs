using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;

namespace MutualAid.Tests.Enrollment;

public sealed class EnrollmentRulesTests
{
    private static readonly Scheme Scheme = SchemeReader.Parse("""
        { "scheme": "S", "plans": [
          { "code": "INPATIENT", "name": "住院", "memberTypes": ["in_service"], "enrollAge": { "min": 16, "max": 60 },
            "versions": [ { "effectiveFrom": "2024-01-01", "premium": 40, "benefits": [] } ] },
          { "code": "CRITICAL", "name": "重疾", "requires": ["INPATIENT"], "maxUnits": 3,
            "participation": { "minRate": 0.8, "allWhenAtMost": 10, "enforce": "warn" },
            "versions": [ { "effectiveFrom": "2024-01-01", "premium": 20, "benefits": [] } ] } ] }
        """);

    private static readonly DateRange Year = new(new DateOnly(2024, 5, 1), new DateOnly(2025, 4, 30));

    private static List<string> Check(string plan, DateOnly birth, int units = 1, params HeldPeriod[] held) =>
        EnrollmentRules.Check(Scheme.FindPlan(plan)!, birth, Gender.Male, MemberType.InService, Year, units, held);

    [Fact]
    public void Requires_WithoutTheRequiredPlan_IsRefused() =>
        Assert.Contains("参加重疾须同时参加住院", Check("CRITICAL", new DateOnly(1980, 1, 1)));

    [Fact]
    public void Requires_WithTheRequiredPlanHeld_Passes() =>
        Assert.Empty(Check("CRITICAL", new DateOnly(1980, 1, 1), 3, new HeldPeriod("INPATIENT", Year)));

    [Theory]
    [InlineData("1963-05-02", true)]
    [InlineData("1963-05-01", false)]
    [InlineData("2008-05-01", true)]
    [InlineData("2008-05-02", false)]
    public void Age_OnThePeriodsStart_DecidesWithBothLimitsIncluded(string birth, bool allowed) =>
        Assert.Equal(allowed, Check("INPATIENT", DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture)).Count == 0);

    [Fact]
    public void Units_AboveTheMaximum_AreRefused() =>
        Assert.Contains("份数 4 不在 1–3 之间", Check("CRITICAL", new DateOnly(1980, 1, 1), 4, new HeldPeriod("INPATIENT", Year)));

    [Fact]
    public void ParticipationAndRequires_AreReadFromTheScheme()
    {
        var plan = Scheme.FindPlan("CRITICAL")!;

        Assert.Equal(new ParticipationRule(0.8m, 10, Blocks: false), plan.Participation);
        Assert.Equal("INPATIENT", Assert.Single(plan.Requires).Code);
    }
}
