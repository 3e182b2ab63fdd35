using System.Text;
using System.Text.Json;
using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// The input of <c>mutualaid calc</c>: a scheme, members, their enrollment periods and
/// events (../shared/spec/benefit-rules.md §5), read and checked as a whole.
/// </summary>
public sealed class CalcCase
{
    private CalcCase(Scheme scheme, IReadOnlyDictionary<string, MemberAccount> members, IReadOnlyList<BenefitEvent> events)
    {
        Scheme = scheme;
        Members = members;
        Events = events;
    }

    public Scheme Scheme { get; }

    public IReadOnlyDictionary<string, MemberAccount> Members { get; }

    /// <summary>In the order they are computed: by date, then id (ordinal), then input order.</summary>
    public IReadOnlyList<BenefitEvent> Events { get; }

    /// <summary>
    /// Reads a case; throws <see cref="InvalidInputException"/> listing every problem.
    /// A <paramref name="scheme"/> given here (from its own file) stands in for the case's "scheme".
    /// </summary>
    public static CalcCase Parse(string json, Scheme? scheme = null)
    {
        using var document = JsonInput.Parse(json);
        var problems = new Problems();
        var result = Read(document.RootElement, problems, scheme);
        if (problems.HasErrors || result is null)
            throw new InvalidInputException(problems.Errors);
        return result;
    }

    public static CalcCase? Read(JsonElement root, Problems problems, Scheme? scheme = null)
    {
        if (JsonFields.Open(root, "", problems) is not { } f)
            return null;
        var schemeElement = f.Value("scheme", required: scheme is null);
        if (scheme is null && schemeElement is { } s)
            scheme = SchemeReader.Read(s, "scheme", problems);
        var planCodes = scheme is not null ? scheme.Plans.Select(p => p.Code).ToHashSet(StringComparer.Ordinal) : PlanCodes(schemeElement);
        var facts = ReadMembers(f, problems);
        var periods = ReadEnrollments(f, scheme, planCodes, facts, problems);
        var events = ReadEvents(f, facts, problems);
        f.Finish("about", "expected");
        if (scheme is null || problems.HasErrors)
            return null;

        var members = facts.ToDictionary(m => m.Key, m => new MemberAccount(scheme, m.Key, m.Value), StringComparer.Ordinal);
        foreach (var (member, plan, range, units) in periods)
            members[member].AddPeriod(scheme.FindPlan(plan)!, range, units);
        var ordered = events
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.Date)
            .ThenBy(x => x.e.Id, StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.e)
            .ToList();
        return new CalcCase(scheme, members, ordered);
    }

    /// <summary>Runs every event through one <see cref="Adjudicator"/>.</summary>
    public CalcResult Run(bool explain = false)
    {
        var adjudicator = new Adjudicator(Scheme);
        var lines = new List<BenefitLine>();
        var denials = new List<Denial>();
        var perEvent = new List<(BenefitEvent, List<BenefitLine>)>();
        foreach (var ev in Events)
        {
            var first = lines.Count;
            adjudicator.Adjudicate(Members[ev.MemberId], ev, lines, denials, explain);
            perEvent.Add((ev, lines.GetRange(first, lines.Count - first)));
        }
        return new CalcResult(perEvent, denials);
    }

    private static Dictionary<string, MemberFacts> ReadMembers(JsonFields f, Problems problems)
    {
        var members = new Dictionary<string, MemberFacts>(StringComparer.Ordinal);
        foreach (var (item, path) in f.Array("members", required: true) ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } m)
                continue;
            var id = m.String("id", required: true);
            var gender = m.String("gender") switch
            {
                null => (Gender?)null,
                "F" => Gender.Female,
                "M" => Gender.Male,
                var other => Invalid(m, "gender", $"未知的性别“{other}”，可选：F、M (unknown value)"),
            };
            m.Date("birthDate");
            var type = m.Choice("memberType", SpecNames.MemberTypes);
            var insurance = m.Choice("insuranceType", SpecNames.InsuranceTypes);
            m.Finish();
            if (id is null)
                continue;
            if (!members.TryAdd(id, new MemberFacts(type, gender, insurance)))
                m.Error("id", $"会员编号“{id}”重复 (duplicate member id)");
        }
        return members;
    }

    private static List<(string Member, string Plan, DateRange Range, int Units)> ReadEnrollments(
        JsonFields f, Scheme? scheme, HashSet<string> planCodes, Dictionary<string, MemberFacts> members, Problems problems)
    {
        var periods = new List<(string Member, string Plan, DateRange Range, int Units)>();
        foreach (var (item, path) in f.Array("enrollments", required: true) ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } e)
                continue;
            var member = e.String("member", required: true);
            var planCode = e.String("plan", required: true);
            var start = e.Date("start", required: true);
            var end = e.Date("end", required: true);
            var units = e.Int("units", min: 1) ?? 1;
            e.Finish();
            if (member is not null && !members.ContainsKey(member))
                e.Error("member", $"未知的会员“{member}” (unknown member)");
            if (planCode is not null && !planCodes.Contains(planCode))
                e.Error("plan", $"未知的计划“{planCode}” (unknown plan)");
            var plan = planCode is null ? null : scheme?.FindPlan(planCode);
            if (start is not { } from || end is not { } to)
                continue;
            if (to < from)
            {
                e.Error("end", $"结束日期 {to:yyyy-MM-dd} 早于开始日期 {from:yyyy-MM-dd} (ends before it starts)");
                continue;
            }
            var range = new DateRange(from, to);
            if (plan is not null && plan.VersionFor(from) is null)
                e.Error("start", $"开始日期 {from:yyyy-MM-dd} 早于计划 {plan.Code} 的首个版本 {plan.Versions[0].EffectiveFrom:yyyy-MM-dd} (starts before any version)");
            if (plan is not null && units > plan.MaxUnits)
                problems.Warning(e.At("units"), $"份数 {units} 超过计划上限 {plan.MaxUnits}（参保时检查）");
            if (member is null || planCode is null)
                continue;
            if (periods.Any(p => p.Member == member && p.Plan == planCode && p.Range.Overlaps(range)))
                e.Error("start", $"会员 {member} 的计划 {planCode} 期间 {range} 与另一期间重叠 (overlaps another period)");
            periods.Add((member, planCode, range, units));
        }
        return periods;
    }

    /// <summary>The plan codes the scheme names, read even when the scheme itself is invalid, so references can still be checked.</summary>
    private static HashSet<string> PlanCodes(JsonElement? scheme)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (scheme is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("plans", out var plans) && plans.ValueKind == JsonValueKind.Array)
        {
            foreach (var plan in plans.EnumerateArray())
            {
                if (plan.ValueKind == JsonValueKind.Object && plan.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                    codes.Add(code.GetString()!);
            }
        }
        return codes;
    }

    private static List<BenefitEvent> ReadEvents(JsonFields f, Dictionary<string, MemberFacts> members, Problems problems)
    {
        var events = new List<BenefitEvent>();
        foreach (var (item, path) in f.Array("events", required: true) ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } e)
                continue;
            var errorsBefore = problems.Errors.Count;
            var id = e.String("id", required: true);
            var member = e.String("member", required: true);
            var kind = e.Choice("kind", SpecNames.EventKinds, required: true);
            var date = e.Date("date", required: true);
            var admission = e.Date("admissionDate");
            var discharge = e.Date("dischargeDate");
            var diagnoses = e.Strings("diagnoses") ?? [];
            // A grade written as a number (9 rather than "9") means the same grade.
            var grade = e.Value("grade") is { ValueKind: JsonValueKind.Number } number ? number.GetRawText() : e.String("grade");
            var procedures = (e.Choices("procedures", SpecNames.Procedures) ?? []).Aggregate(Procedures.None, (all, p) => all | p);
            var amounts = ReadAmounts(e, problems);
            e.Finish();
            if (member is not null && !members.ContainsKey(member))
                e.Error("member", $"未知的会员“{member}” (unknown member)");
            if (admission is { } a && discharge is { } d && d < a)
                e.Error("dischargeDate", $"出院日期 {d:yyyy-MM-dd} 早于入院日期 {a:yyyy-MM-dd} (discharge before admission)");
            if (problems.Errors.Count > errorsBefore)
                continue;
            events.Add(new BenefitEvent
            {
                Id = id!,
                MemberId = member!,
                Kind = kind!.Value,
                Date = date!.Value,
                AdmissionDate = admission,
                DischargeDate = discharge,
                Diagnoses = diagnoses,
                Grade = grade,
                Procedures = procedures,
                Amounts = amounts,
            });
        }
        return events;
    }

    private static EventAmounts ReadAmounts(JsonFields e, Problems problems)
    {
        if (e.Value("amounts") is not { } element || JsonFields.Open(element, e.At("amounts"), problems) is not { } a)
            return default;
        var amounts = new EventAmounts(
            TotalCost: a.Money("totalCost") ?? Money.Zero,
            InsurancePaid: a.Money("insurancePaid") ?? Money.Zero,
            SelfPayInScope: a.Money("selfPayInScope") ?? Money.Zero,
            SelfPayOutOfScope: a.Money("selfPayOutOfScope") ?? Money.Zero,
            SelfPay: a.Money("selfPay"),
            CashPay: a.Money("cashPay"),
            Loss: a.Money("loss") ?? Money.Zero);
        a.Finish();
        return amounts;
    }

    private static Gender? Invalid(JsonFields fields, string name, string message)
    {
        fields.Error(name, message);
        return null;
    }
}

/// <summary>The lines and denials of a run, in computation order.</summary>
public sealed class CalcResult(IReadOnlyList<(BenefitEvent Event, List<BenefitLine> Lines)> events, IReadOnlyList<Denial> denials)
{
    public IReadOnlyList<(BenefitEvent Event, List<BenefitLine> Lines)> Events { get; } = events;

    public IReadOnlyList<Denial> Denials { get; } = denials;

    public IEnumerable<(BenefitEvent Event, BenefitLine Line)> Payouts =>
        Events.SelectMany(e => e.Lines.Where(l => l.Amount > Money.Zero).Select(l => (e.Event, l)));

    /// <summary>The contract's JSON: payouts and denials, amounts as strings with two decimals.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("payouts");
            foreach (var (ev, line) in Payouts)
            {
                w.WriteStartObject();
                w.WriteString("event", ev.Id);
                w.WriteString("plan", line.Plan.Code);
                w.WriteString("benefit", line.Benefit.Code);
                w.WriteString("amount", line.Amount.ToInvariantString());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("denials");
            foreach (var denial in Denials)
            {
                w.WriteStartObject();
                w.WriteString("event", denial.Event.Id);
                if (denial.Plan is null)
                    w.WriteNull("plan");
                else
                    w.WriteString("plan", denial.Plan.Code);
                w.WriteString("reason", TraceText.SpecName(denial.Reason));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
