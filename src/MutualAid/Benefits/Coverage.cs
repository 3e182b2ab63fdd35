using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// The member as the rules see them: type and gender decide eligibility; the basic medical
/// insurance (null: not stated) decides which benefits with <c>insuranceTypes</c> respond.
/// <see cref="ModelWorker"/>: a recorded model worker (劳模) is also admitted by plans for <c>model_worker</c>.
/// </summary>
public readonly record struct MemberFacts(MemberType? Type, Gender? Gender, InsuranceType? InsuranceType = null, bool ModelWorker = false);

/// <summary>
/// The enrollment period that covers an event, under the version in force on its start.
/// <see cref="ChainStart"/> is the start of the member's first continuous period of the
/// plan (or of a plan it takes continuity from); the waiting period counts from it.
/// <see cref="AdmissionOrdinal"/> is the number this event takes among the period's paid
/// stays (1 + those paid before); <see cref="CoverEnded"/>: a benefit that ends cover
/// (给付后保障责任终止) has already paid in the period.
/// </summary>
public readonly record struct Coverage(DateRange Period, int Units, DateOnly ChainStart, PlanVersion Version, int AdmissionOrdinal = 1, bool CoverEnded = false)
{
    /// <summary>Days from the chain's start to <paramref name="date"/>: day 90 is the 90th day after the start.</summary>
    public int DayOfChain(DateOnly date) => date.DayNumber - ChainStart.DayNumber;

    /// <summary>A first-time or lapsed member (新参保): the period starts its chain.</summary>
    public bool IsNew => ChainStart == Period.Start;

    public bool InWaitingPeriod(int waitingDays, DateOnly date) =>
        waitingDays > 0 && DayOfChain(date) <= waitingDays;
}

/// <summary>
/// What one benefit code has already given a member: in the covering period (for its
/// annual cap, once per period, the year's accumulated base and days) and ever (lifetime cap and once).
/// </summary>
public readonly record struct BenefitHistory(Money PaidInPeriod, Money PaidInLifetime, Money BaseInPeriod, int DaysInPeriod);
