using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// A member's enrollments under one scheme and what each benefit has paid them: the
/// state the calculator reads and the <see cref="Adjudicator"/> advances.
/// </summary>
public sealed class MemberAccount
{
    private readonly PlanAccount?[] _plans;
    private readonly Dictionary<(int Cap, PeriodAccount Window), Money> _combinedUsed = [];

    public MemberAccount(Scheme scheme, string id, MemberFacts facts)
    {
        Scheme = scheme;
        Id = id;
        Facts = facts;
        _plans = new PlanAccount?[scheme.Plans.Count];
    }

    public Scheme Scheme { get; }

    public string Id { get; }

    public MemberFacts Facts { get; }

    /// <summary>True once any period of any plan has been added.</summary>
    public bool HasEnrollments { get; private set; }

    public PlanAccount? this[Plan plan] => _plans[plan.Index];

    /// <summary>
    /// Adds a period; the caller has checked that it does not overlap another of the same
    /// plan and starts on or after the plan's first version.
    /// </summary>
    /// <remarks>
    /// <paramref name="coveredFrom"/> is the first covered day when the premium came in after the
    /// start; the version, the chain and the waiting period still count from the start.
    /// </remarks>
    public PeriodAccount AddPeriod(Plan plan, DateRange range, int units, DateOnly? coveredFrom = null)
    {
        var version = plan.VersionFor(range.Start)
            ?? throw new InvalidOperationException($"计划 {plan.Code} 在 {range.Start:yyyy-MM-dd} 尚无生效版本");
        var account = _plans[plan.Index] ??= new PlanAccount(plan);
        var period = new PeriodAccount(range, units, version, plan.BenefitCodes.Count) { CoveredFrom = coveredFrom ?? range.Start };
        account.Add(period);
        HasEnrollments = true;
        return period;
    }

    /// <summary>Records a paid or computed line in the covering period and the lifetime totals.</summary>
    public void Record(PeriodAccount period, in BenefitLine line)
    {
        if (line.Computed)
            Record(line.Plan, period, line.Benefit.Slot, line.Amount, line.BaseAdded, line.DaysAdded);
    }

    /// <summary>Adds what a benefit code paid (and accumulated) in a period: a new line, or one read back from storage.</summary>
    public void Record(Plan plan, PeriodAccount period, int slot, Money amount, Money baseAdded, int daysAdded)
    {
        ref var totals = ref period.Totals[slot];
        totals = new PeriodTotals(totals.Paid + amount, totals.Base + baseAdded, totals.Days + daysAdded);
        period.PlanPaid += amount;
        _plans[plan.Index]!.LifetimePaid[slot] += amount;
        if (amount > Money.Zero && period.Version.EndsCover(slot))
            period.CoverEnded = true;
    }

    /// <summary>What the plans of a combined cap have paid for events dated in the window (a period of its anchor plan).</summary>
    public Money CombinedUsed(CombinedCap cap, PeriodAccount window) =>
        _combinedUsed.GetValueOrDefault((cap.Index, window));

    public void UseCombined(CombinedCap cap, PeriodAccount window, Money amount) =>
        _combinedUsed[(cap.Index, window)] = CombinedUsed(cap, window) + amount;

    /// <summary>
    /// The start of the earliest period reachable backwards from <paramref name="period"/>
    /// through continuous periods of its plan and of the plans it takes continuity from.
    /// A period that reaches any member of the chain also reaches its earliest one (the gap
    /// to it is no longer), so following the earliest start is enough.
    /// </summary>
    public DateOnly ChainStart(Plan plan, PeriodAccount period)
    {
        var reach = plan.RenewalGraceDays + 1;
        var start = period.Range.Start;
        for (var extended = true; extended;)
        {
            extended = false;
            for (var i = -1; i < plan.ContinuityWith.Count; i++)
            {
                if (_plans[(i < 0 ? plan : plan.ContinuityWith[i]).Index] is not { } held)
                    continue;
                for (var p = 0; p < held.Periods.Count; p++)
                {
                    var range = held.Periods[p].Range;
                    if (range.Start < start && start.DayNumber - range.End.DayNumber <= reach)
                    {
                        start = range.Start;
                        extended = true;
                    }
                }
            }
        }
        return start;
    }
}

/// <summary>A member's periods of one plan, in order of start, and what each benefit code has paid them ever.</summary>
public sealed class PlanAccount
{
    private readonly List<PeriodAccount> _periods = [];

    internal PlanAccount(Plan plan)
    {
        Plan = plan;
        LifetimePaid = new Money[plan.BenefitCodes.Count];
    }

    public Plan Plan { get; }

    public IReadOnlyList<PeriodAccount> Periods => _periods;

    /// <summary>By <see cref="Benefit.Slot"/>.</summary>
    public Money[] LifetimePaid { get; }

    public PeriodAccount? Covering(DateOnly date)
    {
        foreach (var period in _periods)
        {
            if (period.CoveredFrom <= date && date <= period.Range.End)
                return period;
        }
        return null;
    }

    internal void Add(PeriodAccount period)
    {
        var at = _periods.FindIndex(p => p.Range.Start > period.Range.Start);
        _periods.Insert(at < 0 ? _periods.Count : at, period);
    }
}

/// <summary>One enrollment period: its terms and what each benefit code has paid in it.</summary>
public sealed class PeriodAccount
{
    internal PeriodAccount(DateRange range, int units, PlanVersion version, int slots)
    {
        Range = range;
        Units = units;
        Version = version;
        Totals = new PeriodTotals[slots];
    }

    public DateRange Range { get; }

    /// <summary>The first covered day: the start, or the day after a late payment.</summary>
    public DateOnly CoveredFrom { get; init; }

    public int Units { get; }

    public PlanVersion Version { get; }

    /// <summary>Paid in this period by all the plan's benefits, for the plan's annual cap.</summary>
    public Money PlanPaid { get; internal set; }

    /// <summary>Stays the plan paid for in this period: the next stay's admission number is one more.</summary>
    public int PaidAdmissions { get; private set; }

    /// <summary>给付后保障责任终止: a benefit that ends cover has paid in this period.</summary>
    public bool CoverEnded { get; internal set; }

    /// <summary>By <see cref="Benefit.Slot"/>.</summary>
    public PeriodTotals[] Totals { get; }

    /// <summary>A stay the plan paid for takes the next admission number of the period.</summary>
    public void CountPaidAdmission() => PaidAdmissions++;

    /// <summary>Fills <paramref name="history"/>, one entry per benefit code of the plan.</summary>
    public void ReadHistory(Money[] lifetimePaid, Span<BenefitHistory> history)
    {
        for (var slot = 0; slot < history.Length; slot++)
        {
            var totals = Totals[slot];
            history[slot] = new BenefitHistory(totals.Paid, lifetimePaid[slot], totals.Base, totals.Days);
        }
    }
}

/// <summary>What one benefit code paid in a period, the base it accumulated and the days it counted.</summary>
public readonly record struct PeriodTotals(Money Paid, Money Base, int Days);
