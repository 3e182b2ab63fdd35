using System.Globalization;
using System.Text.Json.Nodes;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Tests.Benefits;

/// <summary>Builds a calc case the way the spec writes one: plans as JSON, members, periods and events.</summary>
internal sealed class CaseBuilder
{
    private readonly JsonArray _plans = [];
    private readonly JsonArray _members = [];
    private readonly JsonArray _enrollments = [];
    private readonly JsonArray _events = [];
    private readonly JsonArray _combinedCaps = [];

    /// <summary>A plan with one version from 2020-01-01 holding the given benefits; <paramref name="extra"/> adds plan fields.</summary>
    public CaseBuilder Plan(string code, string benefitsJson, string extra = "", string effectiveFrom = "2020-01-01")
    {
        var plan = JsonNode.Parse($$"""
            { "code": "{{code}}", "name": "{{code}}", {{(extra.Length > 0 ? extra + "," : "")}}
              "versions": [ { "effectiveFrom": "{{effectiveFrom}}", "premium": 40, "benefits": [ {{benefitsJson}} ] } ] }
            """)!;
        _plans.Add(plan);
        return this;
    }

    /// <summary>A plan written out whole.</summary>
    public CaseBuilder RawPlan(string planJson)
    {
        _plans.Add(JsonNode.Parse(planJson));
        return this;
    }

    public CaseBuilder Member(string id, string gender = "M", string type = "in_service", string birthDate = "1980-01-01", string? insuranceType = null)
    {
        var member = new JsonObject { ["id"] = id, ["gender"] = gender, ["memberType"] = type, ["birthDate"] = birthDate };
        if (insuranceType is not null)
            member["insuranceType"] = insuranceType;
        _members.Add(member);
        return this;
    }

    /// <summary>A cap over several plans, written as the scheme's combinedCaps entry.</summary>
    public CaseBuilder CombinedCap(string combinedCapJson)
    {
        _combinedCaps.Add(JsonNode.Parse(combinedCapJson));
        return this;
    }

    public CaseBuilder Enroll(string member, string plan, string start, string end, int units = 1)
    {
        _enrollments.Add(new JsonObject { ["member"] = member, ["plan"] = plan, ["start"] = start, ["end"] = end, ["units"] = units });
        return this;
    }

    public CaseBuilder Stay(string id, string member, string admission, string discharge, string amountsJson = "{}", params string[] diagnoses)
    {
        _events.Add(new JsonObject
        {
            ["id"] = id,
            ["member"] = member,
            ["kind"] = "hospitalization",
            ["date"] = discharge,
            ["admissionDate"] = admission,
            ["dischargeDate"] = discharge,
            ["diagnoses"] = new JsonArray([.. (diagnoses.Length == 0 ? ["I10"] : diagnoses).Select(d => JsonValue.Create(d))]),
            ["amounts"] = JsonNode.Parse(amountsJson),
        });
        return this;
    }

    /// <summary>A one-day stay on <paramref name="date"/> with the given in-scope self-pay.</summary>
    public CaseBuilder Stay(string id, string member, string date, decimal selfPayInScope) =>
        Stay(id, member, date, date, $$"""{ "selfPayInScope": {{selfPayInScope.ToString(CultureInfo.InvariantCulture)}} }""");

    public CaseBuilder Event(string eventJson)
    {
        _events.Add(JsonNode.Parse(eventJson));
        return this;
    }

    public string ToJson() => new JsonObject
    {
        ["scheme"] = _combinedCaps.Count == 0
            ? new JsonObject { ["scheme"] = "TEST", ["name"] = "测试", ["plans"] = _plans.DeepClone() }
            : new JsonObject { ["scheme"] = "TEST", ["name"] = "测试", ["plans"] = _plans.DeepClone(), ["combinedCaps"] = _combinedCaps.DeepClone() },
        ["members"] = _members.DeepClone(),
        ["enrollments"] = _enrollments.DeepClone(),
        ["events"] = _events.DeepClone(),
    }.ToJsonString();

    public Outcome Run(bool explain = false) => new(CalcCase.Parse(ToJson()).Run(explain));

    /// <summary>Problems of an invalid case.</summary>
    public IReadOnlyList<Problem> Problems() =>
        Assert.Throws<InvalidInputException>(() => CalcCase.Parse(ToJson())).Problems;
}

/// <summary>A run's result, asked about by event.</summary>
internal sealed class Outcome(CalcResult result)
{
    public CalcResult Result { get; } = result;

    /// <summary>What the event was paid in all, in yuan.</summary>
    public decimal Paid(string eventId) =>
        Result.Payouts.Where(p => p.Event.Id == eventId).Sum(p => p.Line.Amount.Yuan);

    public decimal Paid(string eventId, string benefit) =>
        Result.Payouts.Where(p => p.Event.Id == eventId && p.Line.Benefit.Code == benefit).Sum(p => p.Line.Amount.Yuan);

    public DenialReason? Denial(string eventId, string? plan = null) =>
        Result.Denials.Where(d => d.Event.Id == eventId && d.Plan?.Code == plan).Select(d => (DenialReason?)d.Reason).FirstOrDefault();

    public BenefitLine Line(string eventId, string benefit) =>
        Result.Events.Single(e => e.Event.Id == eventId).Lines.Single(l => l.Benefit.Code == benefit);

    public Money Total => Result.Payouts.Aggregate(Money.Zero, (sum, p) => sum + p.Line.Amount);
}
