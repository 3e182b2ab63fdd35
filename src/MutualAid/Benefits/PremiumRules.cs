using System.Globalization;
using MutualAid.Common;
using MutualAid.Units;

namespace MutualAid.Benefits;

/// <summary>
/// A price of a plan version for some members (an extension of the spec, <c>premiums</c>): by the
/// kind of the unit that enrols them (台州: 民营企业 40, 机关事业单位和国有企业 60) and by new or
/// continuing enrolment (新参保/续保). A condition left out holds for everyone; a member enrolled by
/// no unit has no unit kind, so only rules without <see cref="UnitKinds"/> price them.
/// </summary>
public sealed record PremiumRule(IReadOnlyList<UnitKind>? UnitKinds, AppliesTo AppliesTo, Money Premium)
{
    public bool Matches(UnitKind? kind, bool continuing) =>
        (UnitKinds is null || (kind is { } k && UnitKinds.Contains(k)))
        && AppliesTo switch { AppliesTo.New => !continuing, AppliesTo.Continuing => continuing, _ => true };

    /// <summary>Every member this rule prices, <paramref name="earlier"/> prices first: this one never applies.</summary>
    public bool ShadowedBy(PremiumRule earlier) =>
        (earlier.UnitKinds is null || (UnitKinds is not null && UnitKinds.All(earlier.UnitKinds.Contains)))
        && (earlier.AppliesTo == AppliesTo.All || earlier.AppliesTo == AppliesTo);
}

/// <summary>
/// The premium chosen for one enrolment: the yearly price, the period's years and the units, and
/// the rule in words ("民营企业 续保 40 元/年 × 2 年"). <see cref="Whole"/> is what the period costs.
/// </summary>
public sealed record PremiumPrice(Money Yearly, int Years, int Units, string Reason)
{
    public Money Whole => Yearly * checked(Years * Units);
}

/// <summary>The scheme file's names of the unit kinds (<c>premiums[].unitKinds</c>), and the full Chinese names a price shows.</summary>
public static class PremiumNames
{
    public const int MaxPeriodYears = 10;

    public static readonly IReadOnlyDictionary<string, UnitKind> UnitKinds = new Dictionary<string, UnitKind>
    {
        ["government"] = UnitKind.Government,
        ["institution"] = UnitKind.Institution,
        ["state_owned"] = UnitKind.StateOwned,
        ["private"] = UnitKind.Private,
        ["association"] = UnitKind.Association,
        ["platform"] = UnitKind.Platform,
        ["other"] = UnitKind.Other,
    };

    public static string ChineseName(UnitKind kind) => kind switch
    {
        UnitKind.Government => "机关",
        UnitKind.Institution => "事业单位",
        UnitKind.StateOwned => "国有企业",
        UnitKind.Private => "民营企业",
        UnitKind.Association => "社会团体",
        UnitKind.Platform => "新业态平台",
        _ => "其他单位",
    };

    /// <summary>"40" for 40.00, "12.5" for 12.50: a price as a notice says it.</summary>
    public static string Yuan(Money amount) => amount.Yuan.ToString("0.##", CultureInfo.InvariantCulture);
}
