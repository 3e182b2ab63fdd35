using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// One benefit (待遇) of a plan version. Each kind is a formula from an event to an exact
/// amount in fen; rounding, caps and the period's state are the same for all kinds and
/// live in <see cref="BenefitCalculator"/>.
/// </summary>
public abstract class Benefit
{
    public required string Code { get; init; }

    /// <summary>The index of <see cref="Code"/> in <see cref="Plan.BenefitCodes"/>: where its history is kept.</summary>
    public int Slot { get; internal set; }

    public required EventKinds Events { get; init; }

    /// <summary>单次封顶.</summary>
    public Money? PerClaimCap { get; init; }

    /// <summary>年度封顶: per member per enrollment period.</summary>
    public Money? AnnualCap { get; init; }

    /// <summary>终身封顶: per member across all periods.</summary>
    public Money? LifetimeCap { get; init; }

    public AppliesTo AppliesTo { get; init; }

    /// <summary>Multiplies the fixed sums (lump sum, schedule, per day) by the units held; caps are not multiplied.</summary>
    public bool PerUnit { get; init; }

    /// <summary>Responds only to members whose basic medical insurance is listed; null: to every member.</summary>
    public IReadOnlyList<InsuranceType>? InsuranceTypes { get; init; }

    /// <summary>Responds only to a stay whose admission number in the period lies in the range (北京: 首次、第二次、第三次及以上).</summary>
    public AdmissionRange? AdmissionOrdinal { get; init; }

    /// <summary>Responds only to events with at least one of these treatments; <see cref="Procedures.None"/>: to every event.</summary>
    public Procedures Procedures { get; init; }

    /// <summary>
    /// Set: responds only inside the plan's waiting period, after this many days from the chain's
    /// start (等待期内慰问金). Null: only outside the waiting period, as every version-1 benefit.
    /// </summary>
    public int? InWaitingPeriodAfterDays { get; init; }

    /// <summary>给付后保障责任终止: a payment ends the plan's cover for the rest of the period.</summary>
    public bool TerminatesCover { get; init; }

    /// <summary>单笔最低给付: a payment below it, after every cap, is not made (not raised to it).</summary>
    public Money? MinPayout { get; init; }

    public bool RespondsTo(EventKinds kind) => (Events & kind) != 0;

    public bool AppliesToMember(bool isNew) =>
        AppliesTo == AppliesTo.All || (AppliesTo == AppliesTo.New) == isNew;

    /// <summary>
    /// Whether the benefit responds on this day of the chain: inside the waiting period only one
    /// with <see cref="InWaitingPeriodAfterDays"/> past its days, outside it only one without.
    /// </summary>
    public bool RespondsOnDay(bool inWaitingPeriod, int dayOfChain) =>
        inWaitingPeriod ? InWaitingPeriodAfterDays is { } after && dayOfChain > after : InWaitingPeriodAfterDays is null;

    /// <summary>
    /// Why the benefit does not respond to this member and event although it answers its kind
    /// (appliesTo and the filters by insurance, admission number and treatment), or null; the
    /// filters passed are traced.
    /// </summary>
    internal NoPayReason? Skip(in MemberFacts member, in Coverage coverage, BenefitEvent ev, List<TraceStep>? trace)
    {
        if (!AppliesToMember(coverage.IsNew))
        {
            trace?.Add(new NoPayStep(NoPayReason.NotForThisMember, coverage.IsNew ? "新参保" : "续保"));
            return NoPayReason.NotForThisMember;
        }
        if (InsuranceTypes is { } types)
        {
            if (member.InsuranceType is not { } type || !types.Contains(type))
            {
                trace?.Add(new NoPayStep(NoPayReason.NotThisInsuranceType, member.InsuranceType is { } t ? SpecNames.ChineseName(t) : "未说明医保类别"));
                return NoPayReason.NotThisInsuranceType;
            }
            trace?.Add(new InsuranceStep(type));
        }
        if (AdmissionOrdinal is { } range)
        {
            if (!range.Contains(coverage.AdmissionOrdinal))
            {
                trace?.Add(new NoPayStep(NoPayReason.NotThisAdmission, $"本期第 {coverage.AdmissionOrdinal} 次住院"));
                return NoPayReason.NotThisAdmission;
            }
            trace?.Add(new AdmissionStep(coverage.AdmissionOrdinal, range));
        }
        if (Procedures != Procedures.None)
        {
            if ((Procedures & ev.Procedures) == 0)
            {
                trace?.Add(new NoPayStep(NoPayReason.NoListedProcedure, $"本次治疗：{SpecNames.ChineseName(ev.Procedures)}"));
                return NoPayReason.NoListedProcedure;
            }
            trace?.Add(new ProcedureStep(ev.Procedures & Procedures));
        }
        return null;
    }

    /// <param name="history">What every benefit code of the plan has paid, by <see cref="Slot"/>, including earlier benefits of this event.</param>
    internal abstract Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace);

    private protected int UnitsFor(in Coverage coverage) => PerUnit ? coverage.Units : 1;
}

/// <summary>Admission numbers [Min, Max] of the period's paid stays; Max null: no upper bound.</summary>
public readonly record struct AdmissionRange(int Min, int? Max)
{
    public bool Contains(int ordinal) => ordinal >= Min && (Max is not { } max || ordinal <= max);
}

/// <summary>A formula's exact result in fen, what it adds to the period's base and days, and why it is 0.</summary>
internal readonly record struct Formula(decimal ExactFen, Money BaseAdded = default, int DaysAdded = 0, NoPayReason? Reason = null);

/// <summary>One segment of a progressive (分段) benefit: <see cref="Rate"/> on the part of the base in [From, To).</summary>
public readonly record struct Bracket(Money From, Money? To, decimal Rate);

/// <summary>分段累进: each bracket pays its rate on its part of the base; below the first From (起付线) nothing.</summary>
public sealed class BracketedBenefit : Benefit
{
    public required AmountField Base { get; init; }

    public Accumulate Accumulate { get; init; }

    public required IReadOnlyList<Bracket> Brackets { get; init; }

    public Money Deductible => Brackets[0].From;

    internal override Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace)
    {
        var amount = ev.Amount(Base);
        trace?.Add(new BaseStep(Base, amount, ev.Amounts.IsDerived(Base)));
        if (Accumulate == Accumulate.Claim)
        {
            var exact = Progressive(amount, trace);
            return new Formula(exact, Reason: exact == 0 ? ReasonForZero(amount) : null);
        }
        // Each side is rounded before the difference, so the payments of a period telescope:
        // however its costs are split into events, together they pay what their sum pays.
        var before = history[Slot].BaseInPeriod;
        var after = before + amount;
        trace?.Add(new AccumulatedStep(before, after));
        var payableAfter = Money.RoundFen(Progressive(after, trace)).Fen;
        var payableBefore = Money.RoundFen(Progressive(before, null)).Fen;
        trace?.Add(new DifferenceStep(payableAfter, payableBefore));
        decimal difference = payableAfter - payableBefore;
        return new Formula(difference, amount, Reason: difference == 0 ? ReasonForZero(after) : null);
    }

    private decimal Progressive(Money amount, List<TraceStep>? trace)
    {
        decimal fen = 0;
        for (var i = 0; i < Brackets.Count; i++)
        {
            var bracket = Brackets[i];
            if (amount <= bracket.From)
                break;
            var top = bracket.To is { } to ? Money.Min(amount, to) : amount;
            var part = top - bracket.From;
            var value = part.Fen * bracket.Rate;
            trace?.Add(new BracketStep(bracket.From, bracket.To, part, bracket.Rate, value));
            fen += value;
        }
        return fen;
    }

    private NoPayReason ReasonForZero(Money amount) =>
        amount <= Deductible ? NoPayReason.BelowDeductible : NoPayReason.ZeroAmount;
}

/// <summary>One tier of a 分档 benefit: the base in [From, To) takes Rate on the whole base (or above From), or a fixed Amount.</summary>
public readonly record struct Tier(Money From, Money? To, decimal? Rate, Money? Amount, bool Above)
{
    public bool Holds(Money amount) => From <= amount && (To is not { } to || amount < to);
}

/// <summary>分档: the tier that holds the base applies to the whole base; a base below every tier pays nothing.</summary>
public sealed class TieredBenefit : Benefit
{
    public required AmountField Base { get; init; }

    public required IReadOnlyList<Tier> Tiers { get; init; }

    internal override Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace)
    {
        var amount = ev.Amount(Base);
        trace?.Add(new BaseStep(Base, amount, ev.Amounts.IsDerived(Base)));
        for (var i = 0; i < Tiers.Count; i++)
        {
            var tier = Tiers[i];
            if (!tier.Holds(amount))
                continue;
            var applied = tier.Above ? amount - tier.From : amount;
            var exact = tier.Amount is { } sum ? sum.Fen : applied.Fen * tier.Rate!.Value;
            trace?.Add(new TierStep(tier.From, tier.To, tier.Rate, tier.Amount, applied, exact));
            return new Formula(exact, Reason: exact == 0 ? NoPayReason.ZeroAmount : null);
        }
        trace?.Add(new NoPayStep(NoPayReason.NoTier, Tiers[0].From.ToDisplayString()));
        return new Formula(0, Reason: NoPayReason.NoTier);
    }
}

/// <summary>定额给付: a fixed sum for a listed diagnosis (ICD-10 prefix), once per period or per lifetime.</summary>
public sealed class LumpSumBenefit : Benefit
{
    public required Money Amount { get; init; }

    /// <summary>Null: any event of the benefit's kinds qualifies.</summary>
    public IReadOnlyList<string>? DiagnosisPrefixes { get; init; }

    public Once Once { get; init; }

    /// <summary>
    /// The first stage, a lump sum listed before this one: this one is paid only once that one
    /// has been paid within its own <see cref="Once"/> scope, earlier in the same event included.
    /// </summary>
    public LumpSumBenefit? After { get; init; }

    /// <summary>The once mark: paid in the period (once per period) or ever (once per lifetime).</summary>
    public bool HasBeenPaid(in BenefitHistory history) =>
        (Once == Once.Lifetime ? history.PaidInLifetime : history.PaidInPeriod) > Money.Zero;

    internal override Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace)
    {
        string? diagnosis = null, prefix = null;
        if (DiagnosisPrefixes is not null && !TryMatch(ev.Diagnoses, out diagnosis, out prefix))
        {
            trace?.Add(new NoPayStep(NoPayReason.DiagnosisNotListed, string.Join("、", ev.Diagnoses)));
            return new Formula(0, Reason: NoPayReason.DiagnosisNotListed);
        }
        if (After is { } stage)
        {
            if (!stage.HasBeenPaid(history[stage.Slot]))
            {
                trace?.Add(new NoPayStep(NoPayReason.EarlierStageNotPaid, stage.Code));
                return new Formula(0, Reason: NoPayReason.EarlierStageNotPaid);
            }
            trace?.Add(new StageStep(stage.Code));
        }
        if (HasBeenPaid(history[Slot]))
        {
            trace?.Add(new NoPayStep(NoPayReason.AlreadyPaid, Once == Once.Lifetime ? "终身" : "本期"));
            return new Formula(0, Reason: NoPayReason.AlreadyPaid);
        }
        var units = UnitsFor(coverage);
        trace?.Add(new LumpSumStep(Amount, units, diagnosis, prefix));
        return new Formula(Amount.Fen * (decimal)units);
    }

    private bool TryMatch(IReadOnlyList<string> diagnoses, out string? diagnosis, out string? prefix)
    {
        for (var d = 0; d < diagnoses.Count; d++)
        {
            var code = diagnoses[d];
            for (var p = 0; p < DiagnosisPrefixes!.Count; p++)
            {
                var candidate = DiagnosisPrefixes[p];
                if (code.StartsWith(candidate, StringComparison.Ordinal))
                {
                    diagnosis = code;
                    prefix = candidate;
                    return true;
                }
            }
        }
        diagnosis = prefix = null;
        return false;
    }
}

/// <summary>住院津贴: a sum per day in hospital after the first unpaid days, within day limits.</summary>
public sealed class PerDayBenefit : Benefit
{
    public required Money AmountPerDay { get; init; }

    public int DeductibleDays { get; init; }

    public int MinDays { get; init; }

    public int? MaxDaysPerClaim { get; init; }

    public int? MaxDaysPerPeriod { get; init; }

    internal override Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace)
    {
        var days = ev.Days;
        if (days < MinDays)
        {
            trace?.Add(new NoPayStep(NoPayReason.TooFewDays, $"{days}/{MinDays}"));
            return new Formula(0, Reason: NoPayReason.TooFewDays);
        }
        var counted = Math.Max(0, days - DeductibleDays);
        trace?.Add(new DaysStep(days, DeductibleDays, counted));
        if (counted == 0)
            return new Formula(0, Reason: NoPayReason.TooFewDays);
        if (MaxDaysPerClaim is { } perClaim && counted > perClaim)
        {
            trace?.Add(new DayLimitStep(DayLimit.PerClaim, perClaim, 0, counted, perClaim));
            counted = perClaim;
        }
        if (MaxDaysPerPeriod is { } perPeriod)
        {
            var left = Math.Max(0, perPeriod - history[Slot].DaysInPeriod);
            if (counted > left)
            {
                trace?.Add(new DayLimitStep(DayLimit.PerPeriod, perPeriod, history[Slot].DaysInPeriod, counted, left));
                counted = left;
            }
        }
        if (counted == 0)
            return new Formula(0, Reason: NoPayReason.NoDaysLeft);
        var units = UnitsFor(coverage);
        trace?.Add(new PerDayStep(counted, AmountPerDay, units));
        return new Formula(AmountPerDay.Fen * (decimal)counted * units, DaysAdded: counted);
    }
}

/// <summary>按等级给付: a fixed sum by accident grade; a grade missing from the table pays nothing.</summary>
public sealed class ScheduleBenefit : Benefit
{
    public required IReadOnlyDictionary<string, Money> Table { get; init; }

    internal override Formula Compute(BenefitEvent ev, in Coverage coverage, ReadOnlySpan<BenefitHistory> history, List<TraceStep>? trace)
    {
        if (ev.Grade is not { } grade || !Table.TryGetValue(grade, out var amount))
        {
            trace?.Add(new NoPayStep(NoPayReason.GradeNotListed, ev.Grade));
            return new Formula(0, Reason: NoPayReason.GradeNotListed);
        }
        var units = UnitsFor(coverage);
        trace?.Add(new ScheduleStep(grade, amount, units));
        return new Formula(amount.Fen * (decimal)units);
    }
}
