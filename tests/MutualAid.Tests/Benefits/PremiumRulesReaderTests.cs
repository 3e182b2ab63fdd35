using MutualAid.Benefits;
using MutualAid.Units;

namespace MutualAid.Tests.Benefits;

/// <summary>A version's prices (<c>premiums</c>, <c>periodYears</c>, a MutualAid extension): chosen by rule, and refused at the field when wrong.</summary>
public sealed class PremiumRulesReaderTests
{
    private static string Scheme(string version) => $$"""
        { "scheme": "S", "plans": [ { "code": "P", "name": "住院",
          "versions": [ { "effectiveFrom": "2024-01-01", "premium": 60, {{version}}
            "benefits": [ { "code": "R", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 0.5 } ] } ] } ] } ] }
        """;

    private static IReadOnlyList<Problem> Problems(string version) =>
        Assert.Throws<InvalidInputException>(() => SchemeReader.Parse(Scheme(version))).Problems;

    [Theory]
    [InlineData("\"premiums\": [ { \"unitKinds\": [\"民企\"], \"premium\": 40 } ],", "plans[0].versions[0].premiums[0].unitKinds[0]", "未知的取值")]
    [InlineData("\"premiums\": [ { \"unitKinds\": [], \"premium\": 40 } ],", "plans[0].versions[0].premiums[0].unitKinds", "不能为空")]
    [InlineData("\"premiums\": [ { \"unitKinds\": [\"private\", \"private\"], \"premium\": 40 } ],", "plans[0].versions[0].premiums[0].unitKinds", "重复")]
    [InlineData("\"premiums\": [ { \"unitKinds\": [\"private\"] } ],", "plans[0].versions[0].premiums[0].premium", "缺少必填字段")]
    [InlineData("\"premiums\": [ { \"unitKinds\": [\"private\"], \"premium\": -1 } ],", "plans[0].versions[0].premiums[0].premium", "不能为负数")]
    [InlineData("\"premiums\": [ { \"appliesTo\": \"renewal\", \"premium\": 40 } ],", "plans[0].versions[0].premiums[0].appliesTo", "未知的取值")]
    [InlineData("\"premiums\": [ { \"premium\": 40 } ],", "plans[0].versions[0].premiums[0]", "须有条件")]
    [InlineData("\"premiums\": [ { \"unitKinds\": [\"private\"], \"premium\": 40 }, { \"unitKinds\": [\"private\"], \"appliesTo\": \"new\", \"premium\": 30 } ],",
        "plans[0].versions[0].premiums[1]", "plans[0].versions[0].premiums[0] 已包括")]
    [InlineData("\"premiums\": { \"private\": 40 },", "plans[0].versions[0].premiums", "应为数组")]
    [InlineData("\"periodYears\": 0,", "plans[0].versions[0].periodYears", "不能小于 1")]
    [InlineData("\"periodYears\": 11,", "plans[0].versions[0].periodYears", "最长 10 年")]
    [InlineData("\"periodYears\": 1.5,", "plans[0].versions[0].periodYears", "应为整数")]
    public void ABadPriceDefinition_IsRefusedNamingTheField(string version, string path, string reason)
    {
        var problems = Problems(version);

        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(UnitKind.Private, false, 1, "民营企业 新参保 40 元/年 × 3 年", 120)]
    [InlineData(UnitKind.Private, true, 1, "民营企业 35 元/年 × 3 年", 105)]
    [InlineData(UnitKind.StateOwned, true, 2, "续保 50 元/年 × 3 年 × 2 份", 300)]
    [InlineData(UnitKind.StateOwned, false, 1, "60 元/年 × 3 年", 180)]
    [InlineData(null, false, 1, "60 元/年 × 3 年", 180)]
    public void ThePrice_IsTheFirstRuleThatMatches_ForTheWholePeriod(UnitKind? kind, bool continuing, int units, string reason, decimal whole)
    {
        var scheme = SchemeReader.Parse(Scheme("""
            "periodYears": 3,
            "premiums": [
              { "unitKinds": ["private"], "appliesTo": "new", "premium": 40 },
              { "unitKinds": ["private"], "premium": 35 },
              { "appliesTo": "continuing", "premium": 50 } ],
            """));

        var price = scheme.Plans[0].Versions[0].PriceFor(kind, continuing, units);

        Assert.Equal((reason, whole), (price.Reason, price.Whole.Yuan));
    }

    [Fact]
    public void AVersionWithoutPrices_ChargesItsPremiumForAYear_AsBefore()
    {
        var version = SchemeReader.Parse(Scheme("")).Plans[0].Versions[0];

        var price = version.PriceFor(UnitKind.Private, continuing: true, units: 1);

        Assert.Equal((1, "60 元/年", 60m, "60 元/年"), (version.PeriodYears, price.Reason, price.Whole.Yuan, version.PriceText));
    }
}
