using System.Text.Json.Nodes;
using MutualAid.Benefits;

namespace MutualAid.Tests.Benefits;

/// <summary>schemes/ningbo.json pays what docs/schemes.md says of Ningbo's v2 rules: the condolence, the two stages, cover ending on payment.</summary>
public sealed class NingboSchemeTests
{
    private static string Case(string enrollments, string events) =>
        new JsonObject
        {
            ["scheme"] = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Schemes, "ningbo.json"))),
            ["members"] = JsonNode.Parse("""
                [ { "id": "W", "gender": "F", "birthDate": "1980-05-01", "memberType": "in_service" },
                  { "id": "M", "gender": "M", "birthDate": "1980-05-01", "memberType": "in_service" } ]
                """),
            ["enrollments"] = JsonNode.Parse(enrollments),
            ["events"] = JsonNode.Parse(events),
        }.ToJsonString();

    private static List<string> Lines(CalcResult result) =>
        [.. result.Payouts.Select(p => $"{p.Event.Id} {p.Line.Plan.Code} {p.Line.Benefit.Code} {p.Line.Amount.ToInvariantString()}"),
         .. result.Denials.Select(d => $"{d.Event.Id} {d.Plan?.Code} {TraceText.SpecName(d.Reason)}")];

    [Fact]
    public void Condolence_InTheWaitingWindow_IsPaidOnce_AndEndsCoverUntilTheNextPeriod()
    {
        var result = CalcCase.Parse(Case(
            """
            [ { "member": "W", "plan": "CRITICAL", "start": "2024-01-01", "end": "2024-12-31", "units": 3 },
              { "member": "W", "plan": "CRITICAL", "start": "2025-01-01", "end": "2025-12-31", "units": 3 },
              { "member": "W", "plan": "FEMALE", "start": "2024-01-01", "end": "2024-12-31" } ]
            """,
            """
            [ { "id": "E1", "member": "W", "kind": "diagnosis", "date": "2024-01-31", "diagnoses": ["C50.9"] },
              { "id": "E2", "member": "W", "kind": "diagnosis", "date": "2024-02-01", "diagnoses": ["C50.9"] },
              { "id": "E3", "member": "W", "kind": "diagnosis", "date": "2024-06-01", "diagnoses": ["C50.9"] },
              { "id": "E4", "member": "W", "kind": "diagnosis", "date": "2025-02-01", "diagnoses": ["C34.1"] } ]
            """)).Run();

        Assert.Equal(
        [
            "E2 CRITICAL CONDOLENCE 1000.00", "E2 FEMALE FEMALE_CONDOLENCE 1000.00", "E4 CRITICAL CRITICAL_LUMP 30000.00",
            "E1 CRITICAL waiting_period", "E1 FEMALE waiting_period", "E3 CRITICAL cover_terminated", "E3 FEMALE cover_terminated",
            "E4 FEMALE not_enrolled",
        ], Lines(result));
    }

    [Fact]
    public void MildStages_PayThreeThousandThenFourThousandAfterATreatment_PerUnit_AndEndCover()
    {
        var result = CalcCase.Parse(Case(
            """[ { "member": "M", "plan": "CRITICAL", "start": "2023-01-01", "end": "2024-12-31", "units": 2 } ]""",
            """
            [ { "id": "E1", "member": "M", "kind": "outpatientSpecial", "date": "2024-03-01", "diagnoses": ["D05.1"], "procedures": ["chemotherapy"] },
              { "id": "E2", "member": "M", "kind": "hospitalization", "date": "2024-04-10", "admissionDate": "2024-04-01", "dischargeDate": "2024-04-10",
                "diagnoses": ["D05.1"] },
              { "id": "E3", "member": "M", "kind": "outpatientSpecial", "date": "2024-05-01", "diagnoses": ["D05.1"], "procedures": ["surgery"] },
              { "id": "E4", "member": "M", "kind": "hospitalization", "date": "2024-07-10", "admissionDate": "2024-07-01", "dischargeDate": "2024-07-10",
                "diagnoses": ["C18.7"] } ]
            """)).Run();

        Assert.Equal(
        [
            "E2 CRITICAL MILD_STAGE1 6000.00", "E3 CRITICAL MILD_STAGE2 8000.00",
            "E1 CRITICAL no_benefit", "E4 CRITICAL cover_terminated",
        ], Lines(result));
    }
}
