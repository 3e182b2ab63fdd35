using System.Globalization;
using System.Text;
using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// Says a calculation in Chinese for a clerk and a member, e.g.
/// 「政策范围内个人自付 30,000.00 元：1,000.00–5,000.00 元段 4,000.00 × 30% = 1,200.00；…；
/// 年度封顶 20,000.00 元，已付 12,200.00 元，本次给付 7,800.00 元」.
/// </summary>
public static class TraceText
{
    public static string SpecName(DenialReason reason) => reason switch
    {
        DenialReason.DuplicateEvent => "duplicate_event",
        DenialReason.NotEnrolled => "not_enrolled",
        DenialReason.NotEligible => "not_eligible",
        DenialReason.CoverTerminated => "cover_terminated",
        DenialReason.WaitingPeriod => "waiting_period",
        DenialReason.BelowMinimum => "below_minimum",
        DenialReason.NoBenefit => "no_benefit",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static string Describe(DenialReason reason) => reason switch
    {
        DenialReason.DuplicateEvent => "同一事件已处理过，不重复给付",
        DenialReason.NotEnrolled => "事件日期不在参保期间内",
        DenialReason.NotEligible => "会员类别或性别不符合本计划的参保条件",
        DenialReason.CoverTerminated => "本期已有给付后保障责任终止的待遇给付，本计划本期保障责任已终止",
        DenialReason.WaitingPeriod => "事件发生在等待期内",
        DenialReason.BelowMinimum => "应付金额低于单笔最低给付额",
        DenialReason.NoBenefit => "没有应付的待遇",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    public static string Describe(NoPayReason reason) => reason switch
    {
        NoPayReason.BelowDeductible => "未达起付线",
        NoPayReason.NoTier => "未达最低档",
        NoPayReason.DiagnosisNotListed => "诊断不在给付病种之列",
        NoPayReason.AlreadyPaid => "已给付过，不再重复给付",
        NoPayReason.TooFewDays => "住院天数不足",
        NoPayReason.NoDaysLeft => "本期给付天数已用完",
        NoPayReason.GradeNotListed => "伤残等级不在给付表中",
        NoPayReason.CapReached => "已达封顶",
        NoPayReason.ZeroAmount => "计算结果为 0",
        NoPayReason.NotForThisMember => "本待遇不适用于该会员",
        NoPayReason.NotThisInsuranceType => "本待遇不适用于该会员的医保类别",
        NoPayReason.NotThisAdmission => "本待遇不适用于本次住院的次数",
        NoPayReason.NoListedProcedure => "未进行本待遇所列的治疗",
        NoPayReason.EarlierStageNotPaid => "前一阶段尚未给付",
        NoPayReason.BelowMinimum => "低于单笔最低给付额",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The whole line: the base, then every step after a colon, then what is paid.</summary>
    public static string Describe(in BenefitLine line)
    {
        var text = new StringBuilder();
        for (var i = 0; i < line.Trace.Count; i++)
        {
            // The base is followed by a colon and its working: 「个人负担 1,000.00 元：…」.
            var colon = line.Trace[i] is BaseStep && i + 1 < line.Trace.Count;
            text.Append(Describe(line.Trace[i])).Append(colon ? '：' : '；');
        }
        text.Append(line.Amount.IsZero
            ? $"不予给付（{Describe(line.Reason ?? NoPayReason.ZeroAmount)}）"
            : $"本次给付 {line.Amount.ToDisplayString()} 元");
        return text.ToString();
    }

    public static string Describe(TraceStep step) => step switch
    {
        BaseStep s => $"{SpecNames.ChineseName(s.Field)} {Yuan(s.Amount)} 元{(s.Derived ? DerivedFrom(s.Field) : "")}",
        AccumulatedStep s => $"本期累计 {Yuan(s.Before)} 元，加本次后 {Yuan(s.After)} 元",
        BracketStep s => $"{Segment(s.From, s.To)}段 {Yuan(s.Part)} × {Percent(s.Rate)} = {Fen(s.ExactFen)}",
        DifferenceStep s => $"按累计计 {Fen(s.AfterFen)} 元，减此前已计 {Fen(s.BeforeFen)} 元，得 {Fen(s.AfterFen - s.BeforeFen)} 元",
        TierStep { Amount: { } sum } s => $"{Segment(s.From, s.To)}档，定额 {Yuan(sum)} 元",
        TierStep s => $"{Segment(s.From, s.To)}档，{Yuan(s.Applied)} × {Percent(s.Rate!.Value)} = {Fen(s.ExactFen)}",
        LumpSumStep s => LumpSum(s),
        DaysStep s => s.DeductibleDays > 0
            ? $"住院 {s.Days} 天，前 {s.DeductibleDays} 天不予给付，计 {s.Counted} 天"
            : $"住院 {s.Days} 天",
        DayLimitStep { Limit: DayLimit.PerClaim } s => $"单次最多 {s.LimitDays} 天，计 {s.After} 天",
        DayLimitStep s => $"本期最多 {s.LimitDays} 天，已计 {s.UsedBefore} 天，本次计 {s.After} 天",
        PerDayStep s => $"{s.Days} 天 × {Yuan(s.PerDay)} 元{Units(s.Units)} = {Yuan(s.PerDay * s.Days * s.Units)} 元",
        ScheduleStep s => $"{Grade(s.Grade)}给付 {Yuan(s.Amount)} 元{Units(s.Units)}",
        RoundingStep s => $"四舍五入到分 {Fen(s.ExactFen)} → {Yuan(s.Rounded)}",
        CapStep s => Cap(s),
        WaitingPeriodStep s => $"等待期 {s.WaitingDays} 天内的第 {s.Day} 天{(s.AfterDays > 0 ? $"（已过生效后 {s.AfterDays} 天）" : "")}，适用等待期内的待遇",
        InsuranceStep s => $"医保类别：{SpecNames.ChineseName(s.Type)}",
        AdmissionStep s => $"本期第 {s.Ordinal} 次获付住院，适用{Admissions(s.Range)}",
        ProcedureStep s => $"本次治疗含{SpecNames.ChineseName(s.Matched)}",
        StageStep => "前一阶段已给付",
        CombinedCapStep s => CombinedCap(s),
        MinPayoutStep s => s.After.IsZero
            ? $"单笔最低给付 {Yuan(s.Minimum)} 元，{Yuan(s.Before)} 元低于最低额，不予给付"
            : $"单笔最低给付 {Yuan(s.Minimum)} 元，已达",
        CoverEndsStep => "给付后本计划本期保障责任终止",
        NoPayStep s => Describe(s.Reason) + (s.Detail is { Length: > 0 } d ? $"（{d}）" : ""),
        _ => step.ToString(),
    };

    private static string LumpSum(LumpSumStep s)
    {
        var what = s.Diagnosis is null ? "定额" : $"诊断 {s.Diagnosis} 属 {s.Prefix} 类，定额";
        return s.Units > 1
            ? $"{what} {Yuan(s.Amount)} 元 × {s.Units} 份 = {Yuan(s.Amount * s.Units)} 元"
            : $"{what} {Yuan(s.Amount)} 元";
    }

    private static string Cap(CapStep s)
    {
        var name = s.Cap switch
        {
            CapKind.PerClaim => "单次封顶",
            CapKind.Annual => "年度封顶",
            CapKind.Lifetime => "终身封顶",
            _ => "本计划年度封顶",
        };
        var used = s.Cap == CapKind.PerClaim ? "" : $"，已付 {Yuan(s.UsedBefore)} 元";
        return s.After == s.Before
            ? $"{name} {Yuan(s.Limit)} 元{used}，未超"
            : $"{name} {Yuan(s.Limit)} 元{used}，{Yuan(s.Before)} 元减为 {Yuan(s.After)} 元";
    }

    private static string CombinedCap(CombinedCapStep s)
    {
        var name = $"合并封顶（{string.Join("、", s.Cap.Plans.Select(p => p.Name))}）{Yuan(s.Cap.Cap)} 元，本期已付 {Yuan(s.UsedBefore)} 元";
        return s.After == s.Before ? $"{name}，未超" : $"{name}，{Yuan(s.Before)} 元减为 {Yuan(s.After)} 元";
    }

    private static string Admissions(AdmissionRange range) => range switch
    {
        { Max: { } max } when max == range.Min => $"第 {range.Min} 次住院的待遇",
        { Max: { } max } => $"第 {range.Min}–{max} 次住院的待遇",
        _ => $"第 {range.Min} 次及以上住院的待遇",
    };

    private static string DerivedFrom(AmountField field) => field switch
    {
        AmountField.SelfPay => "（医疗总费用 − 统筹支付）",
        AmountField.CashPay => "（同个人负担）",
        _ => "",
    };

    private static string Segment(Money from, Money? to) =>
        to is { } upper ? $"{Yuan(from)}–{Yuan(upper)} 元" : $"{Yuan(from)} 元以上";

    private static string Units(int units) => units > 1 ? $" × {units} 份" : "";

    private static string Grade(string grade) => grade switch
    {
        "death" => "身故",
        "fracture" => "骨折",
        _ => $"{grade} 级伤残",
    };

    private static string Yuan(Money money) => money.ToDisplayString();

    /// <summary>An exact amount in fen as yuan: two decimals, more only where the amount has them (75.495).</summary>
    private static string Fen(decimal fen) =>
        (fen / 100m).ToString("#,##0.00########", CultureInfo.InvariantCulture);

    private static string Percent(decimal rate) =>
        (rate * 100m).ToString("0.########", CultureInfo.InvariantCulture) + "%";
}
