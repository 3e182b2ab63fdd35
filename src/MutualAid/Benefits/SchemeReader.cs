using System.Text.Json;
using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// Reads a scheme file (../shared/spec/benefit-rules.md) and checks every rule, reporting
/// all problems with their JSON paths, not only the first.
/// </summary>
public static class SchemeReader
{
    private static readonly IReadOnlyDictionary<string, Gender> GenderNames =
        new Dictionary<string, Gender> { ["F"] = Gender.Female, ["M"] = Gender.Male };

    private static readonly IReadOnlyDictionary<string, bool> Enforcement =
        new Dictionary<string, bool> { ["block"] = true, ["warn"] = false };

    private static readonly IReadOnlyDictionary<string, PartPeriodPremium> PartPeriodRules =
        new Dictionary<string, PartPeriodPremium> { ["whole"] = PartPeriodPremium.Whole, ["monthly"] = PartPeriodPremium.Monthly, ["nextMonth"] = PartPeriodPremium.NextMonth };

    private static readonly IReadOnlyDictionary<string, string> DocumentCodes = SpecNames.Documents.Keys.ToDictionary(k => k, k => k);

    private static readonly string[] BenefitKinds = ["bracketed", "tiered", "lumpSum", "perDay", "schedule"];

    /// <summary>Reads a scheme from JSON text; throws <see cref="InvalidInputException"/> with every error.</summary>
    public static Scheme Parse(string json) => Parse(json, out _);

    /// <summary>As <see cref="Parse(string)"/>, also giving the fields that were ignored.</summary>
    public static Scheme Parse(string json, out IReadOnlyList<Problem> warnings)
    {
        var problems = new Problems();
        using var document = JsonInput.Parse(json);
        var scheme = Read(document.RootElement, "", problems);
        if (problems.HasErrors || scheme is null)
            throw new InvalidInputException(problems.Errors);
        warnings = problems.Warnings;
        return scheme;
    }

    /// <summary>Reads the scheme at <paramref name="path"/>; null when anything is wrong (see <paramref name="problems"/>).</summary>
    public static Scheme? Read(JsonElement element, string path, Problems problems)
    {
        if (JsonFields.Open(element, path, problems) is not { } fields)
            return null;
        var errorsBefore = problems.Errors.Count;
        var code = fields.String("scheme", required: true);
        var name = fields.String("name") ?? code ?? "";
        var autoApprove = fields.Money("autoApproveUpTo");
        var promiseDays = fields.Int("promiseDays", min: 1) ?? 7;
        var bankAccountWaitDays = fields.Int("bankAccountWaitDays", min: 1);
        var partPeriod = fields.Choice("partPeriodPremium", PartPeriodRules) ?? PartPeriodPremium.Monthly;
        decimal? poolShare = null;
        if (fields.Value("pooling") is { } pooling && JsonFields.Open(pooling, fields.At("pooling"), problems) is { } p)
        {
            poolShare = p.Rate("poolShare", required: true);
            p.Finish();
        }
        var plans = new List<Plan>();
        var continuity = new List<(Plan Plan, List<string> Codes, string Path)>();
        var requires = new List<(Plan Plan, List<string> Codes, string Path)>();
        foreach (var (item, itemPath) in fields.Array("plans", required: true, nonEmpty: true) ?? [])
        {
            if (ReadPlan(item, itemPath, plans.Count, problems, out var codes, out var required) is not { } plan)
                continue;
            if (plans.Any(p => p.Code == plan.Code))
                problems.Error(JsonFields.Join(itemPath, "code"), $"计划代码“{plan.Code}”重复 (duplicate plan code)");
            plans.Add(plan);
            continuity.Add((plan, codes, JsonFields.Join(itemPath, "continuityWith")));
            requires.Add((plan, required, JsonFields.Join(itemPath, "requires")));
        }
        var combinedCaps = fields.Array("combinedCaps") ?? [];
        fields.Finish();

        foreach (var (plan, codes, at) in continuity)
            plan.ContinuityWith = Resolve(plans, plan, codes, at, "continuityWith", problems);
        foreach (var (plan, codes, at) in requires)
            plan.Requires = Resolve(plans, plan, codes, at, "requires", problems);
        var caps = ReadCombinedCaps(combinedCaps, plans, problems);
        return problems.Errors.Count > errorsBefore || code is null ? null
            : new Scheme(code, name, plans) { AutoApproveUpTo = autoApprove, PromiseDays = promiseDays, BankAccountWaitDays = bankAccountWaitDays, PartPeriodPremium = partPeriod, PoolShare = poolShare, CombinedCaps = caps };
    }

    /// <summary>合并封顶: at least two distinct plans of the scheme, the first the anchor, and a cap.</summary>
    private static List<CombinedCap> ReadCombinedCaps(IReadOnlyList<(JsonElement Item, string Path)> items, List<Plan> plans, Problems problems)
    {
        var caps = new List<CombinedCap>();
        foreach (var (item, path) in items)
        {
            if (JsonFields.Open(item, path, problems) is not { } c)
                continue;
            var errorsBefore = problems.Errors.Count;
            var codes = c.Strings("plans", required: true);
            var cap = c.Money("cap", required: true);
            c.Finish();
            var listed = new List<Plan>();
            foreach (var planCode in codes ?? [])
            {
                if (plans.FirstOrDefault(p => p.Code == planCode) is not { } plan)
                    c.Error("plans", $"未知的计划“{planCode}” (unknown plan)");
                else if (listed.Contains(plan))
                    c.Error("plans", $"计划“{planCode}”重复列出 (plan listed twice)");
                else
                    listed.Add(plan);
            }
            if (codes is not null && codes.Count < 2)
                c.Error("plans", "合并封顶至少要列两个计划 (fewer than two plans)");
            if (problems.Errors.Count == errorsBefore && cap is { } limit)
                caps.Add(new CombinedCap(caps.Count, listed, limit));
        }
        return caps;
    }

    private static List<Plan> Resolve(List<Plan> plans, Plan plan, List<string> codes, string path, string field, Problems problems)
    {
        var linked = new List<Plan>();
        for (var i = 0; i < codes.Count; i++)
        {
            var other = plans.FirstOrDefault(p => p.Code == codes[i]);
            if (other is null || other == plan)
                problems.Error($"{path}[{i}]", $"未知的计划“{codes[i]}” (unknown {field} plan)");
            else
                linked.Add(other);
        }
        return linked;
    }

    private static Plan? ReadPlan(JsonElement element, string path, int index, Problems problems, out List<string> continuityCodes, out List<string> requiredCodes)
    {
        continuityCodes = requiredCodes = [];
        if (JsonFields.Open(element, path, problems) is not { } f)
            return null;
        var code = f.Code("code", required: true);
        var plan = new Plan(index, code ?? "", f.String("name") ?? code ?? "")
        {
            MemberTypes = f.Choices("memberTypes", SpecNames.MemberTypes),
            Genders = f.Choices("genders", GenderNames),
            WaitingDays = f.Int("waitingDays") ?? 0,
            RenewalGraceDays = f.Int("renewalGraceDays") ?? 0,
            MaxUnits = f.Int("maxUnits", min: 1) ?? 1,
            AnnualCap = f.Money("annualCap"),
            Documents = f.Choices("documents", DocumentCodes) ?? [],
        };
        if (f.Value("enrollAge") is { } age && JsonFields.Open(age, f.At("enrollAge"), problems) is { } a)
        {
            plan.MinEnrollAge = a.Int("min") ?? 0;
            plan.MaxEnrollAge = a.Int("max") ?? 150;
            if (plan.MaxEnrollAge < plan.MinEnrollAge)
                a.Error("max", $"最大年龄 {plan.MaxEnrollAge} 小于最小年龄 {plan.MinEnrollAge} (max below min)");
            a.Finish();
        }
        continuityCodes = f.Strings("continuityWith") ?? [];
        requiredCodes = f.Strings("requires") ?? [];
        if (f.Value("participation") is { } rule && JsonFields.Open(rule, f.At("participation"), problems) is { } r)
        {
            var minRate = r.Rate("minRate", required: true) ?? 0;
            var allWhenAtMost = r.Int("allWhenAtMost") ?? 0;
            var enforce = r.Choice("enforce", Enforcement) ?? true;
            r.Finish();
            plan.Participation = new ParticipationRule(minRate, allWhenAtMost, enforce);
        }

        var versions = new List<PlanVersion>();
        var codes = new List<string>();
        foreach (var (item, itemPath) in f.Array("versions", required: true, nonEmpty: true) ?? [])
        {
            if (ReadVersion(item, itemPath, codes, plan.WaitingDays, problems) is not { } version)
                continue;
            if (versions.Any(v => v.EffectiveFrom == version.EffectiveFrom))
                problems.Error(JsonFields.Join(itemPath, "effectiveFrom"), $"生效日期 {version.EffectiveFrom:yyyy-MM-dd} 与另一版本相同 (duplicate effectiveFrom)");
            versions.Add(version);
        }
        plan.Versions = [.. versions.OrderBy(v => v.EffectiveFrom)];
        plan.BenefitCodes = codes;
        plan.Cover = ReadCover(f, plan, continuityCodes.Count + requiredCodes.Count > 0, problems);
        f.Finish();
        return code is null ? null : plan;
    }

    private static PlanVersion? ReadVersion(JsonElement element, string path, List<string> planCodes, int waitingDays, Problems problems)
    {
        if (JsonFields.Open(element, path, problems) is not { } f)
            return null;
        var effectiveFrom = f.Date("effectiveFrom", required: true);
        var premium = f.Money("premium") ?? Money.Zero;
        var periodYears = f.Int("periodYears", min: 1) ?? 1;
        if (periodYears > PremiumNames.MaxPeriodYears)
            f.Error("periodYears", $"参保期间最长 {PremiumNames.MaxPeriodYears} 年 (at most {PremiumNames.MaxPeriodYears} years)");
        var premiumRules = ReadPremiumRules(f, problems);
        var benefits = new List<Benefit>();
        foreach (var (item, itemPath) in f.Array("benefits", required: true) ?? [])
        {
            if (ReadBenefit(item, itemPath, waitingDays, benefits, problems) is not { } benefit)
                continue;
            if (benefits.Any(b => b.Code == benefit.Code))
            {
                problems.Error(JsonFields.Join(itemPath, "code"), $"待遇代码“{benefit.Code}”在本版本中重复 (duplicate benefit code)");
                continue;
            }
            var slot = planCodes.IndexOf(benefit.Code);
            if (slot < 0)
            {
                slot = planCodes.Count;
                planCodes.Add(benefit.Code);
            }
            benefit.Slot = slot;
            benefits.Add(benefit);
        }
        f.Finish();
        return effectiveFrom is { } from ? new PlanVersion(from, premium, benefits) { PremiumRules = premiumRules, PeriodYears = periodYears } : null;
    }

    /// <summary>保费规则: each with a condition (<c>unitKinds</c>, <c>appliesTo</c>) and a yearly <c>premium</c>; none that an earlier one hides.</summary>
    private static List<PremiumRule> ReadPremiumRules(JsonFields f, Problems problems)
    {
        var rules = new List<(PremiumRule Rule, string Path)>();
        foreach (var (item, path) in f.Array("premiums") ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } r)
                continue;
            var errorsBefore = problems.Errors.Count;
            var kinds = r.Choices("unitKinds", PremiumNames.UnitKinds, nonEmpty: true);
            var appliesTo = r.Choice("appliesTo", SpecNames.AppliesTo) ?? AppliesTo.All;
            var premium = r.Money("premium", required: true);
            r.Finish();
            if (kinds is not null && kinds.Distinct().Count() < kinds.Count)
                r.Error("unitKinds", "单位性质重复列出 (unit kind listed twice)");
            if (kinds is null && appliesTo == AppliesTo.All)
                problems.Error(path, "保费规则须有条件 unitKinds 或 appliesTo；对所有人的保费写在版本的 premium (a rule needs unitKinds or appliesTo)");
            if (problems.Errors.Count > errorsBefore || premium is not { } yearly)
                continue;
            var rule = new PremiumRule(kinds, appliesTo, yearly);
            var hiding = rules.FindIndex(earlier => rule.ShadowedBy(earlier.Rule));
            if (hiding >= 0)
                problems.Error(path, $"{rules[hiding].Path} 已包括这条规则的全部情况，它永远不会适用 (hidden by an earlier rule)");
            rules.Add((rule, path));
        }
        return [.. rules.Select(r => r.Rule)];
    }

    /// <param name="earlier">The version's benefits listed before this one, which an <c>after</c> may name.</param>
    private static Benefit? ReadBenefit(JsonElement element, string path, int waitingDays, List<Benefit> earlier, Problems problems)
    {
        if (JsonFields.Open(element, path, problems) is not { } f)
            return null;
        var errorsBefore = problems.Errors.Count;
        var code = f.Code("code", required: true) ?? "";
        var kind = f.String("kind", required: true);
        var events = f.Choices("events", SpecNames.EventKinds, required: true, nonEmpty: true) ?? [];
        var eventKinds = events.Aggregate(EventKinds.None, (all, k) => all | k);
        var perClaimCap = f.Money("perClaimCap");
        var annualCap = f.Money("annualCap");
        var lifetimeCap = f.Money("lifetimeCap");
        var appliesTo = f.Choice("appliesTo", SpecNames.AppliesTo) ?? AppliesTo.All;
        var perUnit = f.Bool("perUnit") ?? false;
        var insuranceTypes = f.Choices("insuranceTypes", SpecNames.InsuranceTypes, nonEmpty: true);
        var admission = ReadAdmissionOrdinal(f, eventKinds, problems);
        var procedures = (f.Choices("procedures", SpecNames.Procedures, nonEmpty: true) ?? []).Aggregate(Procedures.None, (all, p) => all | p);
        var waitingAfter = ReadInWaitingPeriod(f, waitingDays, problems);
        var terminatesCover = f.Bool("terminatesCover") ?? false;
        var minPayout = f.Money("minPayout");
        var after = ReadAfter(f, kind, earlier);

        Benefit? benefit = kind switch
        {
            "bracketed" => new BracketedBenefit
            {
                Code = code,
                Events = eventKinds,
                Base = f.Choice("base", SpecNames.AmountFields, required: true) ?? default,
                Accumulate = f.Choice("accumulate", SpecNames.Accumulate) ?? Accumulate.Claim,
                Brackets = ReadBrackets(f, problems),
                PerClaimCap = perClaimCap, AnnualCap = annualCap, LifetimeCap = lifetimeCap, AppliesTo = appliesTo, PerUnit = perUnit,
                InsuranceTypes = insuranceTypes, AdmissionOrdinal = admission, Procedures = procedures,
                InWaitingPeriodAfterDays = waitingAfter, TerminatesCover = terminatesCover, MinPayout = minPayout,
            },
            "tiered" => new TieredBenefit
            {
                Code = code,
                Events = eventKinds,
                Base = f.Choice("base", SpecNames.AmountFields, required: true) ?? default,
                Tiers = ReadTiers(f, problems),
                PerClaimCap = perClaimCap, AnnualCap = annualCap, LifetimeCap = lifetimeCap, AppliesTo = appliesTo, PerUnit = perUnit,
                InsuranceTypes = insuranceTypes, AdmissionOrdinal = admission, Procedures = procedures,
                InWaitingPeriodAfterDays = waitingAfter, TerminatesCover = terminatesCover, MinPayout = minPayout,
            },
            "lumpSum" => new LumpSumBenefit
            {
                Code = code,
                Events = eventKinds,
                Amount = f.Money("amount", required: true) ?? Money.Zero,
                DiagnosisPrefixes = f.Strings("diagnosisPrefixes"),
                Once = f.Choice("once", SpecNames.Once) ?? Once.Period,
                After = after,
                PerClaimCap = perClaimCap, AnnualCap = annualCap, LifetimeCap = lifetimeCap, AppliesTo = appliesTo, PerUnit = perUnit,
                InsuranceTypes = insuranceTypes, AdmissionOrdinal = admission, Procedures = procedures,
                InWaitingPeriodAfterDays = waitingAfter, TerminatesCover = terminatesCover, MinPayout = minPayout,
            },
            "perDay" => new PerDayBenefit
            {
                Code = code,
                Events = eventKinds,
                AmountPerDay = f.Money("amountPerDay", required: true) ?? Money.Zero,
                DeductibleDays = f.Int("deductibleDays") ?? 0,
                MinDays = f.Int("minDays") ?? 0,
                MaxDaysPerClaim = f.Int("maxDaysPerClaim"),
                MaxDaysPerPeriod = f.Int("maxDaysPerPeriod"),
                PerClaimCap = perClaimCap, AnnualCap = annualCap, LifetimeCap = lifetimeCap, AppliesTo = appliesTo, PerUnit = perUnit,
                InsuranceTypes = insuranceTypes, AdmissionOrdinal = admission, Procedures = procedures,
                InWaitingPeriodAfterDays = waitingAfter, TerminatesCover = terminatesCover, MinPayout = minPayout,
            },
            "schedule" => new ScheduleBenefit
            {
                Code = code,
                Events = eventKinds,
                Table = ReadTable(f, problems),
                PerClaimCap = perClaimCap, AnnualCap = annualCap, LifetimeCap = lifetimeCap, AppliesTo = appliesTo, PerUnit = perUnit,
                InsuranceTypes = insuranceTypes, AdmissionOrdinal = admission, Procedures = procedures,
                InWaitingPeriodAfterDays = waitingAfter, TerminatesCover = terminatesCover, MinPayout = minPayout,
            },
            null => null,
            _ => null,
        };
        if (kind is not null && benefit is null)
            f.Error("kind", $"未知的待遇类型“{kind}”，可选：{string.Join("、", BenefitKinds)} (unknown benefit kind)");
        f.Finish();
        return problems.Errors.Count > errorsBefore ? null : benefit;
    }

    private static readonly IReadOnlyDictionary<string, bool> CoverBases =
        new Dictionary<string, bool> { ["enrolment"] = false, ["allMembers"] = true };

    /// <summary>
    /// 全体会员保障 (<c>"cover": "allMembers"</c> or <c>{ "basis": "allMembers", "age": { "min": 16, "max": 60 }, "inUnit": true }</c>):
    /// no premium, no waiting period, one unit, and none of the enrolment rules (participation, requires, continuityWith).
    /// </summary>
    private static CoverRule? ReadCover(JsonFields f, Plan plan, bool linked, Problems problems)
    {
        if (f.Value("cover") is not { } element)
            return null;
        var path = f.At("cover");
        CoverRule? rule;
        if (element.ValueKind == JsonValueKind.String)
        {
            rule = f.Choice("cover", CoverBases) is true ? new CoverRule(0, 150, false) : null;
        }
        else if (JsonFields.Open(element, path, problems) is { } c)
        {
            var all = c.Choice("basis", CoverBases, required: true) ?? false;
            int min = 0, max = 150;
            if (c.Value("age") is { } age && JsonFields.Open(age, c.At("age"), problems) is { } a)
            {
                min = a.Int("min") ?? 0;
                max = a.Int("max") ?? 150;
                if (max < min)
                    a.Error("max", $"最大年龄 {max} 小于最小年龄 {min} (max below min)");
                a.Finish();
            }
            var inUnit = c.Bool("inUnit") ?? false;
            c.Finish();
            rule = all ? new CoverRule(min, max, inUnit) : null;
        }
        else
        {
            problems.Error(path, "应为 \"allMembers\" 或对象，如 { \"basis\": \"allMembers\", \"age\": { \"min\": 16, \"max\": 60 }, \"inUnit\": true } (must be a string or an object)");
            return null;
        }
        if (rule is null)
            return null;
        foreach (var version in plan.Versions.Where(v => !v.Premium.IsZero))
            f.Error("versions", $"全体会员保障的计划不收保费：{version.EffectiveFrom:yyyy-MM-dd} 版本的 premium 应为 0 (a plan covering all members owes no premium)");
        if (plan.WaitingDays > 0)
            f.Error("waitingDays", "全体会员保障没有参保日，不能设等待期，waitingDays 应为 0 (no waiting period without enrolment)");
        if (plan.MaxUnits > 1)
            f.Error("maxUnits", "全体会员保障每人一份，maxUnits 应为 1 (one unit without enrolment)");
        if (plan.Participation is not null || linked)
            problems.Error(path, "全体会员保障无需参保，不能同时设 participation、requires 或 continuityWith (enrolment rules on a plan covering all members)");
        return rule;
    }

    /// <summary>By admission number (北京: 首次、第二次、第三次及以上): whole numbers, min ≥ 1, max ≥ min, for stays only.</summary>
    private static AdmissionRange? ReadAdmissionOrdinal(JsonFields f, EventKinds events, Problems problems)
    {
        if (f.Value("admissionOrdinal") is not { } element || JsonFields.Open(element, f.At("admissionOrdinal"), problems) is not { } a)
            return null;
        var min = a.Int("min", min: 1) ?? 1;
        var max = a.Int("max", min: int.MinValue);
        a.Finish();
        if (max is { } upper && upper < min)
            a.Error("max", $"最大次数 {upper} 小于最小次数 {min} (max below min)");
        if (events != EventKinds.Hospitalization)
            f.Error("admissionOrdinal", "按住院次数给付的待遇只能响应住院事件，events 应为 [\"hospitalization\"] (admissionOrdinal needs events [\"hospitalization\"])");
        return new AdmissionRange(min, max);
    }

    /// <summary>等待期内的待遇: responds after <c>afterDays</c> (0 ≤ afterDays &lt; the plan's waitingDays).</summary>
    private static int? ReadInWaitingPeriod(JsonFields f, int waitingDays, Problems problems)
    {
        if (f.Value("inWaitingPeriod") is not { } element || JsonFields.Open(element, f.At("inWaitingPeriod"), problems) is not { } w)
            return null;
        var errorsBefore = problems.Errors.Count;
        var afterDays = w.Int("afterDays") ?? 0;
        w.Finish();
        if (problems.Errors.Count == errorsBefore && afterDays >= waitingDays)
            w.Error("afterDays", $"应小于计划的等待期 {waitingDays} 天 (must be below the plan's waitingDays)");
        return afterDays;
    }

    /// <summary>A second stage: names a lump sum listed before this one in the same version.</summary>
    private static LumpSumBenefit? ReadAfter(JsonFields f, string? kind, List<Benefit> earlier)
    {
        if (f.Code("after") is not { } code)
            return null;
        if (kind != "lumpSum")
        {
            f.Error("after", "after 只能用于定额给付 lumpSum (after goes with lumpSum)");
            return null;
        }
        if (earlier.OfType<LumpSumBenefit>().FirstOrDefault(b => b.Code == code) is { } stage)
            return stage;
        f.Error("after", $"“{code}”不是本版本中列在前面的定额给付 lumpSum (after names no lumpSum listed before)");
        return null;
    }

    private static List<Bracket> ReadBrackets(JsonFields f, Problems problems)
    {
        var brackets = new List<Bracket>();
        foreach (var (item, path) in f.Array("brackets", required: true, nonEmpty: true) ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } b)
                continue;
            var from = b.Money("from", required: true);
            var to = b.Money("to");
            var rate = b.Rate("rate", required: true);
            b.Finish();
            if (from is { } lower && rate is { } r && CheckSegment(brackets.Count > 0 ? brackets[^1].To : Money.Zero, brackets.Count > 0, lower, to, path, problems))
                brackets.Add(new Bracket(lower, to, r));
        }
        return brackets;
    }

    private static List<Tier> ReadTiers(JsonFields f, Problems problems)
    {
        var tiers = new List<Tier>();
        foreach (var (item, path) in f.Array("tiers", required: true, nonEmpty: true) ?? [])
        {
            if (JsonFields.Open(item, path, problems) is not { } t)
                continue;
            var from = t.Money("from", required: true);
            var to = t.Money("to");
            var hasRate = t.Value("rate") is not null;
            if (hasRate == (t.Value("amount") is not null))
            {
                problems.Error(path, "每一档须有且只有 rate 或 amount 之一 (a tier has either rate or amount)");
                continue;
            }
            var rate = hasRate ? t.Rate("rate") : null;
            var amount = hasRate ? null : t.Money("amount");
            var above = t.Bool("above") ?? false;
            t.Finish();
            if (above && amount.HasValue)
                problems.Error(JsonFields.Join(path, "above"), "above 只能与 rate 同用 (above goes with rate)");
            if (from is { } lower && (rate.HasValue || amount.HasValue)
                && CheckSegment(tiers.Count > 0 ? tiers[^1].To : Money.Zero, tiers.Count > 0, lower, to, path, problems))
                tiers.Add(new Tier(lower, to, rate, amount, above));
        }
        return tiers;
    }

    /// <summary>Segments go upwards without overlap: to above from, each from at or above the previous to, only the last open.</summary>
    private static bool CheckSegment(Money? previousTo, bool hasPrevious, Money from, Money? to, string path, Problems problems)
    {
        if (hasPrevious && previousTo is null)
        {
            problems.Error(path, "前一段没有上限 to，其后不能再有分段 (overlaps or goes backwards)");
            return false;
        }
        if (hasPrevious && from < previousTo!.Value)
        {
            problems.Error(path, $"下限 {from.ToDisplayString()} 低于前一段的上限 {previousTo.Value.ToDisplayString()}，与前一段重叠或倒退 (overlaps or goes backwards)");
            return false;
        }
        if (to is { } upper && upper <= from)
        {
            problems.Error(path, $"上限 {upper.ToDisplayString()} 应大于下限 {from.ToDisplayString()} (overlaps or goes backwards)");
            return false;
        }
        return true;
    }

    private static Dictionary<string, Money> ReadTable(JsonFields f, Problems problems)
    {
        var table = new Dictionary<string, Money>(StringComparer.Ordinal);
        if (f.Value("table", required: true) is not { } element)
            return table;
        if (element.ValueKind != JsonValueKind.Object)
        {
            f.Error("table", "应为对象，如 { \"death\": 20000, \"1\": 5000 } (must be an object)");
            return table;
        }
        foreach (var property in element.EnumerateObject())
        {
            var path = JsonFields.Join(f.At("table"), property.Name);
            if (!SpecNames.Grades.Contains(property.Name))
            {
                problems.Error(path, $"未知的伤残等级“{property.Name}”，可选：1–10、fracture、death (unknown grade)");
                continue;
            }
            if (JsonFields.ReadMoney(property.Value, path, problems) is { } amount)
                table[property.Name] = amount;
        }
        return table;
    }
}
