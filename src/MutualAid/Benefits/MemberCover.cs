using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>
/// 全体会员保障 (an extension of the spec, the plan's <c>cover</c>): the plan covers every member of
/// its <see cref="Plan.MemberTypes"/> and genders, without an enrolment row, while on the event's
/// date they are aged <see cref="MinAge"/>–<see cref="MaxAge"/> and, with <see cref="InUnit"/>,
/// belong to a unit. No premium is owed. Eligibility is checked at the claim.
/// </summary>
public sealed record CoverRule(int MinAge, int MaxAge, bool InUnit)
{
    /// <summary>What the member page and a claim's explanation say of such cover.</summary>
    public const string Why = "全体工会会员保障，无需参保";

    /// <summary>
    /// The period the plan's caps count in: the calendar year of <paramref name="date"/>, from the
    /// plan's first version at the earliest; null before it.
    /// </summary>
    public static DateRange? YearOf(Plan plan, DateOnly date)
    {
        if (plan.Versions.Count == 0 || date < plan.Versions[0].EffectiveFrom)
            return null;
        var start = new DateOnly(date.Year, 1, 1);
        if (start < plan.Versions[0].EffectiveFrom)
            start = plan.Versions[0].EffectiveFrom;
        return new DateRange(start, new DateOnly(date.Year, 12, 31));
    }

    /// <summary>Why the member is not covered on <paramref name="date"/>, in Chinese; null when covered.</summary>
    public string? Refusal(Plan plan, MemberType type, Gender gender, DateOnly birthDate, bool inUnit, DateOnly date)
    {
        if (YearOf(plan, date) is null)
            return $"{plan.Name}自 {plan.Versions[0].EffectiveFrom:yyyy-MM-dd} 起实行，{date:yyyy-MM-dd} 尚未实行";
        if (plan.MemberTypes is { } types && !types.Contains(type))
            return $"{Names.Of(type)}人员不在{plan.Name}的保障范围（限{string.Join("、", types.Select(Names.Of))}）";
        if (plan.Genders is { } genders && !genders.Contains(gender))
            return $"{plan.Name}仅保障{(genders.Contains(Gender.Female) ? "女" : "男")}职工";
        var age = Age.On(birthDate, date);
        if (age < MinAge || age > MaxAge)
            return $"{date:yyyy-MM-dd} 年满 {age} 周岁，{plan.Name}限 {MinAge}–{MaxAge} 周岁";
        if (InUnit && !inUnit)
            return $"{date:yyyy-MM-dd} 不在会员单位（已离开单位或个人参保），{plan.Name}只保障会员单位的职工";
        return null;
    }
}
