using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>How a plan answered an event.</summary>
public enum PlanOutcome
{
    Paid,
    NotEligible,
    WaitingPeriod,
    NoBenefit,
}

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
    /// Appends one line per benefit of the covering version that responds to the event's kind.
    /// <paramref name="history"/> is indexed by <see cref="Benefit.Slot"/>.
    /// </summary>
    public static PlanOutcome Calculate(
        Plan plan,
        MemberFacts member,
        in Coverage coverage,
        BenefitEvent ev,
        Money planPaidInPeriod,
        ReadOnlySpan<BenefitHistory> history,
        List<BenefitLine> lines,
        bool explain = false)
    {
        if (!plan.Admits(member.Type, member.Gender))
            return PlanOutcome.NotEligible;
        if (coverage.InWaitingPeriod(plan.WaitingDays, ev.Date))
            return PlanOutcome.WaitingPeriod;

        var planPaid = planPaidInPeriod;
        var outcome = PlanOutcome.NoBenefit;
        var benefits = coverage.Version.Benefits;
        for (var b = 0; b < benefits.Count; b++)
        {
            var benefit = benefits[b];
            if (!benefit.RespondsTo(ev.Kind))
                continue;
            var trace = explain ? new List<TraceStep>() : null;
            if (!benefit.AppliesToMember(coverage.IsNew))
            {
                trace?.Add(new NoPayStep(NoPayReason.NotForThisMember, coverage.IsNew ? "新参保" : "续保"));
                lines.Add(new BenefitLine(plan, benefit, Money.Zero, Money.Zero, 0, false, NoPayReason.NotForThisMember, (IReadOnlyList<TraceStep>?)trace ?? NoTrace));
                continue;
            }

            var past = history[benefit.Slot];
            var formula = benefit.Compute(ev, coverage, past, trace);
            var amount = Money.RoundFen(formula.ExactFen);
            if (trace is not null && formula.ExactFen != amount.Fen)
                trace.Add(new RoundingStep(formula.ExactFen, amount));
            var computed = amount;
            amount = Cap(CapKind.PerClaim, benefit.PerClaimCap, Money.Zero, amount, trace);
            amount = Cap(CapKind.Annual, benefit.AnnualCap, past.PaidInPeriod, amount, trace);
            amount = Cap(CapKind.Lifetime, benefit.LifetimeCap, past.PaidInLifetime, amount, trace);
            amount = Cap(CapKind.PlanAnnual, plan.AnnualCap, planPaid, amount, trace);
            planPaid += amount;

            var reason = formula.Reason ?? (amount.IsZero ? (computed.IsZero ? NoPayReason.ZeroAmount : NoPayReason.CapReached) : null);
            if (amount > Money.Zero)
                outcome = PlanOutcome.Paid;
            lines.Add(new BenefitLine(plan, benefit, amount, formula.BaseAdded, formula.DaysAdded, true, reason, (IReadOnlyList<TraceStep>?)trace ?? NoTrace));
        }
        return outcome;
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
}
