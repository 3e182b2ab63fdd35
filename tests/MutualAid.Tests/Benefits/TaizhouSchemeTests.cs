using System.Text.Json.Nodes;
using MutualAid.Benefits;
using MutualAid.Units;

namespace MutualAid.Tests.Benefits;

/// <summary>schemes/taizhou.json: the three plans capped together at 50000, and the premiums by employer kind, as docs/schemes.md says.</summary>
public sealed class TaizhouSchemeTests
{
    private static string Json => File.ReadAllText(Path.Combine(TestPaths.Schemes, "taizhou.json"));

    [Fact]
    public void ThreePlans_TogetherPayAtMost50000_InOnePeriod_AndStartAgainInTheNext()
    {
        var result = CalcCase.Parse(new JsonObject
        {
            ["scheme"] = JsonNode.Parse(Json),
            ["members"] = JsonNode.Parse("""[ { "id": "W", "gender": "F", "birthDate": "1980-05-01", "memberType": "in_service" } ]"""),
            ["enrollments"] = JsonNode.Parse("""
                [ { "member": "W", "plan": "INPATIENT", "start": "2024-01-01", "end": "2024-12-31" },
                  { "member": "W", "plan": "CRITICAL", "start": "2024-01-01", "end": "2024-12-31" },
                  { "member": "W", "plan": "FEMALE", "start": "2024-01-01", "end": "2024-12-31" },
                  { "member": "W", "plan": "INPATIENT", "start": "2025-01-01", "end": "2025-12-31" } ]
                """),
            ["events"] = JsonNode.Parse("""
                [ { "id": "E1", "member": "W", "kind": "hospitalization", "date": "2024-03-20", "admissionDate": "2024-03-01", "dischargeDate": "2024-03-20",
                    "diagnoses": ["C50.9"], "amounts": { "selfPay": 50000 } },
                  { "id": "E2", "member": "W", "kind": "hospitalization", "date": "2025-02-08", "admissionDate": "2025-02-01", "dischargeDate": "2025-02-08",
                    "diagnoses": ["I10"], "amounts": { "selfPay": 10000 } } ]
                """),
        }.ToJsonString()).Run();

        Assert.Equal(["E1 INPATIENT REIMBURSE 35000.00", "E1 CRITICAL CRITICAL_LUMP 15000.00", "E2 INPATIENT REIMBURSE 7000.00"],
            result.Payouts.Select(p => $"{p.Event.Id} {p.Line.Plan.Code} {p.Line.Benefit.Code} {p.Line.Amount.ToInvariantString()}"));
        Assert.Contains(result.Denials, d => d.Event.Id == "E1" && d.Plan?.Code == "FEMALE" && TraceText.SpecName(d.Reason) == "no_benefit");
    }

    [Theory]
    [InlineData(UnitKind.Government, "机关 60 元/年")]
    [InlineData(UnitKind.Institution, "事业单位 60 元/年")]
    [InlineData(UnitKind.StateOwned, "国有企业 60 元/年")]
    [InlineData(UnitKind.Private, "民营企业 40 元/年")]
    [InlineData(UnitKind.Association, "60 元/年")]
    public void TheInpatientPlan_CostsByTheEmployersKind(UnitKind kind, string price)
    {
        var scheme = SchemeReader.Parse(Json);

        Assert.Equal(50000m, Assert.Single(scheme.CombinedCaps).Cap.Yuan);
        Assert.Equal(price, scheme.FindPlan("INPATIENT")!.Versions[0].PriceFor(kind, continuing: false, units: 1).Reason);
    }
}
