namespace MutualAid.Benefits;

/// <summary>
/// A mutual-aid scheme (互助保障方案) as the union publishes it: plans, each with its
/// versions of terms. Built only by <see cref="SchemeReader"/>, which has checked every rule.
/// </summary>
public sealed class Scheme
{
    private readonly Dictionary<string, Plan> _byCode;

    internal Scheme(string code, string name, IReadOnlyList<Plan> plans)
    {
        Code = code;
        Name = name;
        Plans = plans;
        _byCode = plans.ToDictionary(p => p.Code, StringComparer.Ordinal);
    }

    public string Code { get; }

    public string Name { get; }

    /// <summary>
    /// Automatic claims up to this total may be approved by rule; above it a person reviews
    /// (an extension of the spec; `calc` ignores it). Null: a person reviews every claim.
    /// </summary>
    public Common.Money? AutoApproveUpTo { get; internal set; }

    /// <summary>
    /// The share of a district's year-end deficit that the city pool bears (资金统筹、风险共担);
    /// the district bears the rest. An extension; null when the scheme does not pool.
    /// </summary>
    public decimal? PoolShare { get; internal set; }

    /// <summary>Days from intake (or import) to payment that the union promises (an extension; 7 unless the scheme says).</summary>
    public int PromiseDays { get; internal set; } = 7;

    /// <summary>
    /// Days after a member's bank account is changed before payments go to it without a clerk's
    /// check (an extension; null when the scheme does not say, and the fund waits 7 days).
    /// </summary>
    public int? BankAccountWaitDays { get; internal set; }

    /// <summary>
    /// What a member joining a running period mid-way is charged (an extension,
    /// <c>partPeriodPremium</c>; <see cref="PartPeriodPremium.Monthly"/> unless the scheme says).
    /// </summary>
    public PartPeriodPremium PartPeriodPremium { get; internal set; } = PartPeriodPremium.Monthly;

    /// <summary>In the order the scheme lists them, which is the order payouts are computed and listed.</summary>
    public IReadOnlyList<Plan> Plans { get; }

    /// <summary>Caps over several plans (合并封顶), in the order they are applied.</summary>
    public IReadOnlyList<CombinedCap> CombinedCaps { get; internal set; } = [];

    /// <summary>A plan by its code, or by its name as people write it in a form or a roster (在职职工住院医疗互助保障).</summary>
    public Plan? FindPlan(string codeOrName) =>
        _byCode.GetValueOrDefault(codeOrName) ?? _byCode.GetValueOrDefault(codeOrName.Trim().ToUpperInvariant())
        ?? Plans.FirstOrDefault(p => p.Name == codeOrName.Trim());
}

/// <summary>
/// The premium of a part period (新进职工年中参保): the whole premium; pro rata by the months
/// left, the start month included (按月折算, the default); or cover from the first of the next
/// month, charged pro rata from then (次月生效). A join on a period's first day pays the whole.
/// </summary>
public enum PartPeriodPremium
{
    Whole,
    Monthly,
    NextMonth,
}

/// <summary>
/// One cap on what several plans pay a member together (台州: 三项同时参加最高50000元). The
/// window is the member's period of the first plan (the anchor) that covers the event's date;
/// an event no anchor period covers is neither limited nor counted. Never multiplied by units.
/// </summary>
public sealed class CombinedCap(int index, IReadOnlyList<Plan> plans, Common.Money cap)
{
    /// <summary>Position in the scheme's list: where a member's use of it is kept.</summary>
    public int Index { get; } = index;

    /// <summary>At least two distinct plans; the first is the anchor.</summary>
    public IReadOnlyList<Plan> Plans { get; } = plans;

    public Plan Anchor => Plans[0];

    public Common.Money Cap { get; } = cap;

    public bool Includes(Plan plan) => Plans.Contains(plan);

    public override string ToString() => string.Join("+", Plans.Select(p => p.Code));
}

/// <summary>A one-year plan (保障项目) with its eligibility and its versions of terms.</summary>
public sealed class Plan
{
    internal Plan(int index, string code, string name)
    {
        Index = index;
        Code = code;
        Name = name;
    }

    /// <summary>Position in the scheme.</summary>
    public int Index { get; }

    public string Code { get; }

    public string Name { get; }

    /// <summary>Who may hold the plan; null = anyone.</summary>
    public IReadOnlyList<MemberType>? MemberTypes { get; internal set; }

    /// <summary>["F"] for 女职工 plans; null = both.</summary>
    public IReadOnlyList<Common.Gender>? Genders { get; internal set; }

    /// <summary>Age on the period's start, checked when enrolling.</summary>
    public int MinEnrollAge { get; internal set; }

    public int MaxEnrollAge { get; internal set; } = 150;

    /// <summary>等待期 in days from the start of the member's continuous chain.</summary>
    public int WaitingDays { get; internal set; }

    public int RenewalGraceDays { get; internal set; }

    /// <summary>Plans whose periods count towards this plan's continuity.</summary>
    public IReadOnlyList<Plan> ContinuityWith { get; internal set; } = [];

    public int MaxUnits { get; internal set; } = 1;

    /// <summary>Plans a member must hold for the same period to enrol in this one (an extension of the spec; `calc` ignores it).</summary>
    public IReadOnlyList<Plan> Requires { get; internal set; } = [];

    /// <summary>Codes of the documents a manual claim on this plan must carry (<see cref="SpecNames.Documents"/>; an extension).</summary>
    public IReadOnlyList<string> Documents { get; internal set; } = [];

    /// <summary>全体会员保障: covers every member it admits without enrolment (an extension, <c>cover</c>; `calc` ignores it). Null: by enrolment.</summary>
    public CoverRule? Cover { get; internal set; }

    /// <summary>A unit's participation rule for this plan, if the scheme sets one (an extension; `calc` ignores it).</summary>
    public ParticipationRule? Participation { get; internal set; }

    /// <summary>Cap on the sum of all this plan's benefits for a member in one period.</summary>
    public Common.Money? AnnualCap { get; internal set; }

    /// <summary>Ordered by <see cref="PlanVersion.EffectiveFrom"/>.</summary>
    public IReadOnlyList<PlanVersion> Versions { get; internal set; } = [];

    /// <summary>Every benefit code of every version; a benefit's state (caps paid, once) is kept per code.</summary>
    public IReadOnlyList<string> BenefitCodes { get; internal set; } = [];

    /// <summary>Where a benefit code's history is kept (see <see cref="Benefit.Slot"/>); -1 for a code no version has.</summary>
    public int SlotOf(string benefitCode)
    {
        for (var i = 0; i < BenefitCodes.Count; i++)
        {
            if (BenefitCodes[i] == benefitCode)
                return i;
        }
        return -1;
    }

    /// <summary>The version in force on a period's start, or null when the period starts before the first.</summary>
    public PlanVersion? VersionFor(DateOnly periodStart)
    {
        PlanVersion? found = null;
        foreach (var version in Versions)
        {
            if (version.EffectiveFrom > periodStart)
                break;
            found = version;
        }
        return found;
    }

    /// <summary>Whether a member of the type and gender may hold the plan; a recorded model worker also by <c>model_worker</c>.</summary>
    public bool Admits(MemberType? type, Common.Gender? gender, bool modelWorker = false) =>
        (MemberTypes is null || (type is { } t && Includes(MemberTypes, t)) || (modelWorker && Includes(MemberTypes, MemberType.ModelWorker)))
        && (Genders is null || (gender is { } g && Includes(Genders, g)));

    public override string ToString() => Code;

    private static bool Includes<T>(IReadOnlyList<T> list, T value) where T : struct, Enum
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(list[i], value))
                return true;
        }
        return false;
    }
}

/// <summary>
/// 单位参保率: a unit enrols at least <see cref="MinRate"/> of its workers (of its women for a
/// women-only plan), and all of them when it has no more than <see cref="AllWhenAtMost"/>.
/// <see cref="Blocks"/>: a unit below the rule cannot enrol; otherwise it is warned.
/// </summary>
public sealed record ParticipationRule(decimal MinRate, int AllWhenAtMost, bool Blocks);

/// <summary>The terms of a plan from <see cref="EffectiveFrom"/> on; governs periods that start on or after it.</summary>
public sealed class PlanVersion(DateOnly effectiveFrom, Common.Money premium, IReadOnlyList<Benefit> benefits)
{
    public DateOnly EffectiveFrom { get; } = effectiveFrom;

    /// <summary>Yearly contribution per member and unit, unless one of <see cref="PremiumRules"/> prices the member.</summary>
    public Common.Money Premium { get; } = premium;

    /// <summary>Prices by unit kind and new or continuing enrolment (an extension, <c>premiums</c>); the first that matches applies.</summary>
    public IReadOnlyList<PremiumRule> PremiumRules { get; internal set; } = [];

    /// <summary>Years of a period under this version (an extension, <c>periodYears</c>; 1 unless it says); its premium is for the whole period.</summary>
    public int PeriodYears { get; internal set; } = 1;

    /// <summary>The prices in words, rules first then the rest (民营企业 40 元/年；其他 60 元/年；每期 2 年).</summary>
    public string PriceText
    {
        get
        {
            var parts = new List<string>();
            foreach (var rule in PremiumRules)
            {
                var words = new List<string>(3);
                if (rule.UnitKinds is not null)
                    words.Add(string.Join("、", rule.UnitKinds.Select(PremiumNames.ChineseName)));
                if (rule.AppliesTo != AppliesTo.All)
                    words.Add(rule.AppliesTo == AppliesTo.New ? "新参保" : "续保");
                words.Add($"{PremiumNames.Yuan(rule.Premium)} 元/年");
                parts.Add(string.Join(" ", words));
            }
            parts.Add($"{(PremiumRules.Count > 0 ? "其他 " : "")}{PremiumNames.Yuan(Premium)} 元/年");
            if (PeriodYears > 1)
                parts.Add($"每期 {PeriodYears} 年");
            return string.Join("；", parts);
        }
    }

    /// <summary>
    /// The price for a member enrolled by a unit of <paramref name="unitKind"/> (null: by no unit),
    /// <paramref name="continuing"/> or new, for <paramref name="units"/> units: the first rule that
    /// matches, else <see cref="Premium"/>; the reason names only what the rule looked at.
    /// </summary>
    public PremiumPrice PriceFor(Units.UnitKind? unitKind, bool continuing, int units)
    {
        var rule = PremiumRules.FirstOrDefault(r => r.Matches(unitKind, continuing));
        var words = new List<string>(3);
        if (rule?.UnitKinds is not null && unitKind is { } kind)
            words.Add(PremiumNames.ChineseName(kind));
        if (rule is { AppliesTo: not AppliesTo.All })
            words.Add(continuing ? "续保" : "新参保");
        var yearly = rule?.Premium ?? Premium;
        words.Add($"{PremiumNames.Yuan(yearly)} 元/年" + (PeriodYears > 1 ? $" × {PeriodYears} 年" : "") + (units > 1 ? $" × {units} 份" : ""));
        return new PremiumPrice(yearly, PeriodYears, units, string.Join(" ", words));
    }

    public IReadOnlyList<Benefit> Benefits { get; } = benefits;

    /// <summary>Whether the benefit kept at <paramref name="slot"/> ends cover once it pays (给付后保障责任终止).</summary>
    public bool EndsCover(int slot)
    {
        for (var i = 0; i < Benefits.Count; i++)
        {
            if (Benefits[i].Slot == slot)
                return Benefits[i].TerminatesCover;
        }
        return false;
    }

    /// <summary>Some benefit responds inside the waiting period; without one the whole plan waits, as in version 1.</summary>
    public bool PaysInWaitingPeriod { get; } = benefits.Any(b => b.InWaitingPeriodAfterDays is not null);
}
