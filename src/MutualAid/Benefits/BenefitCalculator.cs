using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>How a plan answered an event.</summary>
public enum PlanOutcome
{
    Paid,
    NotEligible,
    CoverTerminated,
    WaitingPeriod,
    BelowMinimum,
    NoBenefit,
}

/// <summary>A combined cap that limits the plan for this event, and what its window has used so far.</summary>
public readonly record struct CombinedCapUse(CombinedCap Cap, Money Used);

/// <summary>
/// One benefit's answer to an event: the amount after rounding and caps, what it adds to
/// the period's accumulated base and days, why it pays nothing, and (when asked) how.
/// </summary>
public readonly record struct BenefitLine(
    Plan Plan,
    Benefit Benefit,
    Money Amount,
    Money BaseAdded,
    int DaysAdded,
    bool Computed,
    NoPayReason? Reason,
    IReadOnlyList<TraceStep> Trace);

/// <summary>
/// The benefit rules as a pure function: a plan's terms, the member, the covering period,
/// what was paid before and the event give the lines the plan pays. Nothing is stored
/// here; the caller adds the lines to the member's history (see <see cref="Adjudicator"/>).
/// </summary>
public static class BenefitCalculator
{
    private static readonly TraceStep[] NoTrace = [];

    /// <summary>
    /// Appends one line per benefit of the covering version that responds to the event's kind
    /// (and, inside the waiting period, per benefit for it). <paramref name="history"/> is
    /// indexed by <see cref="Benefit.Slot"/> and <paramref name="combined"/> holds the combined
    /// caps that limit the plan for this event; both are advanced by this event's payments.
    /// </summary>
    public static PlanOutcome Calculate(
        Plan plan,
        MemberFacts member,
        in Coverage coverage,
        BenefitEvent ev,
        Money planPaidInPeriod,
        Span<BenefitHistory> history,
        Span<CombinedCapUse> combined,
        List<BenefitLine> lines,
        bool explain = false)
    {
        if (!plan.Admits(member.Type, member.Gender, member.ModelWorker))
            return PlanOutcome.NotEligible;
        if (coverage.CoverEnded)
            return PlanOutcome.CoverTerminated;
        var inWaitingPeriod = coverage.InWaitingPeriod(plan.WaitingDays, ev.Date);
        if (inWaitingPeriod && !coverage.Version.PaysInWaitingPeriod)
            return PlanOutcome.WaitingPeriod;
        var day = coverage.DayOfChain(ev.Date);

        var planPaid = planPaidInPeriod;
        var outcome = PlanOutcome.NoBenefit;
        var cancelled = false;
        var benefits = coverage.Version.Benefits;
        for (var b = 0; b < benefits.Count; b++)
        {
            var benefit = benefits[b];
            if (!benefit.RespondsTo(ev.Kind) || !benefit.RespondsOnDay(inWaitingPeriod, day))
                continue;
            var trace = explain ? new List<TraceStep>() : null;
            var traced = (IReadOnlyList<TraceStep>?)trace ?? NoTrace;
            if (inWaitingPeriod)
                trace?.Add(new WaitingPeriodStep(day, plan.WaitingDays, benefit.InWaitingPeriodAfterDays!.Value));
            if (benefit.Skip(member, coverage, ev, trace) is { } skipped)
            {
                lines.Add(new BenefitLine(plan, benefit, Money.Zero, Money.Zero, 0, false, skipped, traced));
                continue;
            }

            var past = history[benefit.Slot];
            var formula = benefit.Compute(ev, coverage, history, trace);
            var amount = Money.RoundFen(formula.ExactFen);
            if (trace is not null && formula.ExactFen != amount.Fen)
                trace.Add(new RoundingStep(formula.ExactFen, amount));
            var computed = amount;
            amount = Cap(CapKind.PerClaim, benefit.PerClaimCap, Money.Zero, amount, trace);
            amount = Cap(CapKind.Annual, benefit.AnnualCap, past.PaidInPeriod, amount, trace);
            amount = Cap(CapKind.Lifetime, benefit.LifetimeCap, past.PaidInLifetime, amount, trace);
            amount = Cap(CapKind.PlanAnnual, plan.AnnualCap, planPaid, amount, trace);
            for (var c = 0; c < combined.Length; c++)
                amount = CapCombined(combined[c], amount, trace);
            var capped = amount;
            amount = Minimum(benefit.MinPayout, amount, trace);

            var reason = formula.Reason ?? (amount.IsZero
                ? (computed.IsZero ? NoPayReason.ZeroAmount : capped.IsZero ? NoPayReason.CapReached : NoPayReason.BelowMinimum)
                : null);
            lines.Add(new BenefitLine(plan, benefit, amount, formula.BaseAdded, formula.DaysAdded, true, reason, traced));
            if (amount.IsZero)
            {
                cancelled |= reason == NoPayReason.BelowMinimum;
                continue;
            }
            // A later benefit of the same event sees this payment: caps, once, and a second stage.
            outcome = PlanOutcome.Paid;
            planPaid += amount;
            history[benefit.Slot] = past with { PaidInPeriod = past.PaidInPeriod + amount, PaidInLifetime = past.PaidInLifetime + amount };
            for (var c = 0; c < combined.Length; c++)
                combined[c] = combined[c] with { Used = combined[c].Used + amount };
            if (benefit.TerminatesCover)
            {
                trace?.Add(new CoverEndsStep());
                break;
            }
        }
        if (outcome == PlanOutcome.Paid)
            return outcome;
        return inWaitingPeriod ? PlanOutcome.WaitingPeriod : cancelled ? PlanOutcome.BelowMinimum : outcome;
    }

    private static Money Cap(CapKind kind, Money? limit, Money usedBefore, Money amount, List<TraceStep>? trace)
    {
        if (limit is not { } cap || amount.IsZero)
            return amount;
        var left = Money.Max(Money.Zero, cap - usedBefore);
        var after = Money.Min(amount, left);
        trace?.Add(new CapStep(kind, cap, usedBefore, amount, after));
        return after;
    }

    private static Money CapCombined(in CombinedCapUse use, Money amount, List<TraceStep>? trace)
    {
        if (amount.IsZero)
            return amount;
        var after = Money.Min(amount, Money.Max(Money.Zero, use.Cap.Cap - use.Used));
        trace?.Add(new CombinedCapStep(use.Cap, use.Used, amount, after));
        return after;
    }

    /// <summary>单笔最低给付: a payment below the minimum is not made, never raised to it.</summary>
    private static Money Minimum(Money? minimum, Money amount, List<TraceStep>? trace)
    {
        if (minimum is not { } min || amount.IsZero)
            return amount;
        var after = amount < min ? Money.Zero : amount;
        trace?.Add(new MinPayoutStep(min, amount, after));
        return after;
    }
}
