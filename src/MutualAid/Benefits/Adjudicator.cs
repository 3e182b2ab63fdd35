using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>Why a plan paid nothing for an event, in the order the spec checks them.</summary>
public enum DenialReason
{
    DuplicateEvent,
    NotEnrolled,
    NotEligible,
    CoverTerminated,
    WaitingPeriod,
    BelowMinimum,
    NoBenefit,
}

/// <summary>A plan (null: the member holds none) that paid nothing for an event, and why.</summary>
public readonly record struct Denial(BenefitEvent Event, Plan? Plan, DenialReason Reason);

/// <summary>
/// Takes events one after another, in the order the caller gives (by date, then id),
/// asks every plan the member holds, and records what was paid so that caps, once-only
/// sums and accumulated bases hold for the events after it.
/// </summary>
public sealed class Adjudicator(Scheme scheme, int expectedEvents = 0)
{
    private readonly HashSet<string> _seen = new(expectedEvents, StringComparer.Ordinal);
    private BenefitHistory[] _history = new BenefitHistory[8];
    private readonly CombinedCapUse[] _combined = new CombinedCapUse[scheme.CombinedCaps.Count];
    private readonly PeriodAccount[] _windows = new PeriodAccount[scheme.CombinedCaps.Count];

    public Scheme Scheme { get; } = scheme;

    /// <summary>
    /// Appends to <paramref name="lines"/> every benefit line computed for the event (paying or
    /// not) and to <paramref name="denials"/> every plan held that paid nothing. The plans in
    /// <paramref name="skip"/> are not asked: the caller has answered for them (cover without enrolment refused on the day).
    /// </summary>
    public void Adjudicate(MemberAccount member, BenefitEvent ev, List<BenefitLine> lines, List<Denial> denials, bool explain = false, IReadOnlySet<Plan>? skip = null)
    {
        if (!_seen.Add(ev.Id))
        {
            DenyAll(member, ev, DenialReason.DuplicateEvent, denials);
            return;
        }
        if (!member.HasEnrollments)
        {
            denials.Add(new Denial(ev, null, DenialReason.NotEnrolled));
            return;
        }
        // Indexed loops: a foreach over an IReadOnlyList allocates its enumerator, and this runs per event.
        for (var p = 0; p < Scheme.Plans.Count; p++)
        {
            var plan = Scheme.Plans[p];
            if (member[plan] is not { } account || skip?.Contains(plan) == true)
                continue;
            if (account.Covering(ev.Date) is not { } period)
            {
                denials.Add(new Denial(ev, plan, DenialReason.NotEnrolled));
                continue;
            }
            if (_history.Length < plan.BenefitCodes.Count)
                _history = new BenefitHistory[plan.BenefitCodes.Count];
            var history = _history.AsSpan(0, plan.BenefitCodes.Count);
            period.ReadHistory(account.LifetimePaid, history);
            var coverage = new Coverage(period.Range, period.Units, member.ChainStart(plan, period), period.Version,
                AdmissionOrdinal: period.PaidAdmissions + 1, CoverEnded: period.CoverEnded);
            var windows = CombinedWindows(member, plan, ev.Date);
            var first = lines.Count;
            var outcome = BenefitCalculator.Calculate(plan, member.Facts, coverage, ev, period.PlanPaid, history, _combined.AsSpan(0, windows), lines, explain);
            var paid = Money.Zero;
            for (var i = first; i < lines.Count; i++)
            {
                member.Record(period, lines[i]);
                paid += lines[i].Amount;
            }
            for (var c = 0; c < windows; c++)
                member.UseCombined(_combined[c].Cap, _windows[c], paid);
            if (outcome == PlanOutcome.Paid && ev.Kind == EventKinds.Hospitalization)
                period.CountPaidAdmission();
            if (outcome != PlanOutcome.Paid)
                denials.Add(new Denial(ev, plan, ToDenial(outcome)));
        }
    }

    /// <summary>
    /// Fills the combined caps that list the plan and have a window (a period of their anchor
    /// covering the date) with what that window has used; returns how many.
    /// </summary>
    private int CombinedWindows(MemberAccount member, Plan plan, DateOnly date)
    {
        var count = 0;
        for (var c = 0; c < Scheme.CombinedCaps.Count; c++)
        {
            var cap = Scheme.CombinedCaps[c];
            if (!cap.Includes(plan) || member[cap.Anchor]?.Covering(date) is not { } window)
                continue;
            _combined[count] = new CombinedCapUse(cap, member.CombinedUsed(cap, window));
            _windows[count++] = window;
        }
        return count;
    }

    private void DenyAll(MemberAccount member, BenefitEvent ev, DenialReason reason, List<Denial> denials)
    {
        var any = false;
        foreach (var plan in Scheme.Plans)
        {
            if (member[plan] is null)
                continue;
            denials.Add(new Denial(ev, plan, reason));
            any = true;
        }
        if (!any)
            denials.Add(new Denial(ev, null, reason));
    }

    private static DenialReason ToDenial(PlanOutcome outcome) => outcome switch
    {
        PlanOutcome.NotEligible => DenialReason.NotEligible,
        PlanOutcome.CoverTerminated => DenialReason.CoverTerminated,
        PlanOutcome.WaitingPeriod => DenialReason.WaitingPeriod,
        PlanOutcome.BelowMinimum => DenialReason.BelowMinimum,
        PlanOutcome.NoBenefit => DenialReason.NoBenefit,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
