using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>One step of how a benefit line was worked out; <see cref="TraceText"/> says it in Chinese.</summary>
public abstract record TraceStep;

/// <summary>The base amount and the field it came from (derived = worked out from other amounts).</summary>
public sealed record BaseStep(AmountField Field, Money Amount, bool Derived) : TraceStep;

/// <summary>With accumulate: year, the period's base before and after this event.</summary>
public sealed record AccumulatedStep(Money Before, Money After) : TraceStep;

/// <summary>One bracket's part of the base at its rate; <paramref name="ExactFen"/> before rounding.</summary>
public sealed record BracketStep(Money From, Money? To, Money Part, decimal Rate, decimal ExactFen) : TraceStep;

/// <summary>With accumulate: year, what the cumulative base pays after and before this event, each rounded to the fen.</summary>
public sealed record DifferenceStep(decimal AfterFen, decimal BeforeFen) : TraceStep;

/// <summary>The tier that holds the base, by rate on the whole (or the part above from) or as a fixed sum.</summary>
public sealed record TierStep(Money From, Money? To, decimal? Rate, Money? Amount, Money Applied, decimal ExactFen) : TraceStep;

/// <summary>A fixed sum, times the units held when perUnit; the diagnosis that matched, if listed.</summary>
public sealed record LumpSumStep(Money Amount, int Units, string? Diagnosis, string? Prefix) : TraceStep;

/// <summary>Days in hospital, the unpaid first days, then each day limit that cut the count.</summary>
public sealed record DaysStep(int Days, int DeductibleDays, int Counted) : TraceStep;

public sealed record DayLimitStep(DayLimit Limit, int LimitDays, int UsedBefore, int Before, int After) : TraceStep;

public sealed record PerDayStep(int Days, Money PerDay, int Units) : TraceStep;

public sealed record ScheduleStep(string Grade, Money Amount, int Units) : TraceStep;

/// <summary>The exact formula in fen rounded half away from zero.</summary>
public sealed record RoundingStep(decimal ExactFen, Money Rounded) : TraceStep;

/// <summary>A cap: its size, what was used before, and the amount before and after it.</summary>
public sealed record CapStep(CapKind Cap, Money Limit, Money UsedBefore, Money Before, Money After) : TraceStep;

/// <summary>Inside the waiting period, a benefit for it: the day of the chain, the wait and the days after which it responds.</summary>
public sealed record WaitingPeriodStep(int Day, int WaitingDays, int AfterDays) : TraceStep;

/// <summary>The member's basic medical insurance, listed by the benefit.</summary>
public sealed record InsuranceStep(InsuranceType Type) : TraceStep;

/// <summary>The stay's number among the period's paid stays, inside the benefit's range.</summary>
public sealed record AdmissionStep(int Ordinal, AdmissionRange Range) : TraceStep;

/// <summary>The treatments of the event that the benefit lists.</summary>
public sealed record ProcedureStep(Procedures Matched) : TraceStep;

/// <summary>The first stage (a lump sum) that this one follows has been paid.</summary>
public sealed record StageStep(string Stage) : TraceStep;

/// <summary>A cap over several plans: its size, what the plans paid in the window before, and the amount before and after it.</summary>
public sealed record CombinedCapStep(CombinedCap Cap, Money UsedBefore, Money Before, Money After) : TraceStep;

/// <summary>单笔最低给付: the amount after every cap against the minimum; <paramref name="After"/> is 0 when it is below.</summary>
public sealed record MinPayoutStep(Money Minimum, Money Before, Money After) : TraceStep;

/// <summary>The payment ends the plan's cover for the rest of the period.</summary>
public sealed record CoverEndsStep : TraceStep;

/// <summary>Why the line pays nothing.</summary>
public sealed record NoPayStep(NoPayReason Reason, string? Detail = null) : TraceStep;

public enum CapKind
{
    /// <summary>单次封顶.</summary>
    PerClaim,
    /// <summary>年度封顶 of the benefit.</summary>
    Annual,
    /// <summary>终身封顶.</summary>
    Lifetime,
    /// <summary>年度封顶 of the plan, over all its benefits.</summary>
    PlanAnnual,
}

public enum DayLimit
{
    PerClaim,
    PerPeriod,
}

/// <summary>Why a benefit that responds to an event pays nothing.</summary>
public enum NoPayReason
{
    BelowDeductible,
    NoTier,
    DiagnosisNotListed,
    AlreadyPaid,
    TooFewDays,
    NoDaysLeft,
    GradeNotListed,
    CapReached,
    ZeroAmount,
    /// <summary>A benefit for new members only (or continuing only) and the member is the other kind.</summary>
    NotForThisMember,
    /// <summary>The member's basic medical insurance is not among the benefit's (or is not stated).</summary>
    NotThisInsuranceType,
    /// <summary>The stay's admission number lies outside the benefit's range.</summary>
    NotThisAdmission,
    /// <summary>The event has none of the treatments the benefit lists.</summary>
    NoListedProcedure,
    /// <summary>A second stage whose first stage has not been paid.</summary>
    EarlierStageNotPaid,
    /// <summary>单笔最低给付: the amount after caps was above 0 but below the minimum, so not paid.</summary>
    BelowMinimum,
}
