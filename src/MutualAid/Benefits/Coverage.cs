using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>The member as the rules see them: type and gender decide eligibility.</summary>
public readonly record struct MemberFacts(MemberType? Type, Gender? Gender);

/// <summary>
/// The enrollment period that covers an event, under the version in force on its start.
/// <see cref="ChainStart"/> is the start of the member's first continuous period of the
/// plan (or of a plan it takes continuity from); the waiting period counts from it.
/// </summary>
public readonly record struct Coverage(DateRange Period, int Units, DateOnly ChainStart, PlanVersion Version)
{
    /// <summary>A first-time or lapsed member (新参保): the period starts its chain.</summary>
    public bool IsNew => ChainStart == Period.Start;

    public bool InWaitingPeriod(int waitingDays, DateOnly date) =>
        waitingDays > 0 && date.DayNumber - ChainStart.DayNumber <= waitingDays;
}

/// <summary>
/// What one benefit code has already given a member: in the covering period (for its
/// annual cap, once per period, the year's accumulated base and days) and ever (lifetime cap and once).
/// </summary>
public readonly record struct BenefitHistory(Money PaidInPeriod, Money PaidInLifetime, Money BaseInPeriod, int DaysInPeriod);
