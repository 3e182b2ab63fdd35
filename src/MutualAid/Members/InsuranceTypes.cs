using MutualAid.Benefits;

namespace MutualAid.Members;

/// <summary>
/// How a roster cell or a settlement's <c>insutype</c> names the member's basic medical insurance
/// (<see cref="InsuranceType"/>, spec benefit-rules section 5).
/// </summary>
public static class InsuranceTypes
{
    /// <summary>What a roster's 医保类型 cell may say: the Chinese names a unit writes, or the spec's codes.</summary>
    public static readonly IReadOnlyDictionary<string, InsuranceType> RosterNames = new Dictionary<string, InsuranceType>(StringComparer.OrdinalIgnoreCase)
    {
        ["职工"] = InsuranceType.Employee,
        ["城镇职工"] = InsuranceType.Employee,
        ["职工医保"] = InsuranceType.Employee,
        ["城镇职工基本医疗保险"] = InsuranceType.Employee,
        ["职工基本医疗保险"] = InsuranceType.Employee,
        ["employee"] = InsuranceType.Employee,
        ["居民"] = InsuranceType.Resident,
        ["城乡居民"] = InsuranceType.Resident,
        ["居民医保"] = InsuranceType.Resident,
        ["城镇居民"] = InsuranceType.Resident,
        ["新农合"] = InsuranceType.Resident,
        ["城乡居民基本医疗保险"] = InsuranceType.Resident,
        ["resident"] = InsuranceType.Resident,
        ["其他"] = InsuranceType.Other,
        ["异地参保"] = InsuranceType.Other,
        ["未参保"] = InsuranceType.Other,
        ["other"] = InsuranceType.Other,
    };

    /// <summary>
    /// The type a settlement's <c>insutype</c> (national platform code) says: 310 职工基本医疗保险 and the
    /// funds beside it (320 公务员医疗补助, 330 大额医疗费用补助, 340 离休人员医疗保障) are employee
    /// insurance; 380 新农合, 390 城乡居民基本医疗保险, 391 城镇居民 and 392 城乡居民大病 are resident
    /// insurance; any other code is other.
    /// </summary>
    public static InsuranceType FromInsutype(string code) => code switch
    {
        "310" or "320" or "330" or "340" => InsuranceType.Employee,
        "380" or "390" or "391" or "392" => InsuranceType.Resident,
        _ => InsuranceType.Other,
    };
}
