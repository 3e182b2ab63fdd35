namespace MutualAid.Benefits;

/// <summary>What a claim is about (事件类别); the kind decides which benefits respond.</summary>
[Flags]
public enum EventKinds
{
    None = 0,
    /// <summary>住院: one settlement of a hospital stay.</summary>
    Hospitalization = 1,
    /// <summary>门诊特殊病.</summary>
    OutpatientSpecial = 2,
    /// <summary>First diagnosis of a listed critical illness (重大疾病确诊).</summary>
    Diagnosis = 4,
    /// <summary>非工伤意外伤害.</summary>
    Accident = 8,
    /// <summary>家庭财产火灾.</summary>
    Fire = 16,
}

/// <summary>The amount fields of an event that a benefit may take as its base.</summary>
public enum AmountField
{
    /// <summary>医疗总费用.</summary>
    TotalCost,
    /// <summary>统筹支付: basic insurance and other public funds.</summary>
    InsurancePaid,
    /// <summary>政策范围内个人自付.</summary>
    SelfPayInScope,
    /// <summary>自费: outside the insurance catalogue.</summary>
    SelfPayOutOfScope,
    /// <summary>个人负担: totalCost − insurancePaid when not given.</summary>
    SelfPay,
    /// <summary>个人现金支付: selfPay when not given.</summary>
    CashPay,
    /// <summary>火灾财产损失.</summary>
    Loss,
}

public enum MemberType
{
    /// <summary>在职.</summary>
    InService,
    /// <summary>退休.</summary>
    Retired,
    /// <summary>新就业形态/灵活就业.</summary>
    Flexible,
    /// <summary>失业.</summary>
    Unemployed,
    /// <summary>劳模.</summary>
    ModelWorker,
}

/// <summary>Which members a benefit pays: all, only those starting a new chain (新参保), or only continuing ones (续保).</summary>
public enum AppliesTo
{
    All,
    New,
    Continuing,
}

/// <summary>Whether a bracketed base stands alone per event or accumulates over the period.</summary>
public enum Accumulate
{
    Claim,
    Year,
}

/// <summary>The member's basic medical insurance (基本医疗保险).</summary>
public enum InsuranceType
{
    /// <summary>城镇职工基本医疗保险.</summary>
    Employee,
    /// <summary>城乡居民基本医疗保险, including the former 城镇居民 and 新农合.</summary>
    Resident,
    /// <summary>Insured outside the scheme's region, or not insured.</summary>
    Other,
}

/// <summary>Treatments carried out in a stay or visit (手术、放疗、化疗).</summary>
[Flags]
public enum Procedures
{
    None = 0,
    Surgery = 1,
    Radiotherapy = 2,
    Chemotherapy = 4,
}

/// <summary>How often a lump sum may be paid.</summary>
public enum Once
{
    Period,
    Lifetime,
}

/// <summary>The spec's names for the enums above, in both directions.</summary>
public static class SpecNames
{
    public static readonly IReadOnlyDictionary<string, EventKinds> EventKinds = new Dictionary<string, EventKinds>
    {
        ["hospitalization"] = Benefits.EventKinds.Hospitalization,
        ["outpatientSpecial"] = Benefits.EventKinds.OutpatientSpecial,
        ["diagnosis"] = Benefits.EventKinds.Diagnosis,
        ["accident"] = Benefits.EventKinds.Accident,
        ["fire"] = Benefits.EventKinds.Fire,
    };

    public static readonly IReadOnlyDictionary<string, AmountField> AmountFields = new Dictionary<string, AmountField>
    {
        ["totalCost"] = AmountField.TotalCost,
        ["insurancePaid"] = AmountField.InsurancePaid,
        ["selfPayInScope"] = AmountField.SelfPayInScope,
        ["selfPayOutOfScope"] = AmountField.SelfPayOutOfScope,
        ["selfPay"] = AmountField.SelfPay,
        ["cashPay"] = AmountField.CashPay,
        ["loss"] = AmountField.Loss,
    };

    public static readonly IReadOnlyDictionary<string, MemberType> MemberTypes = new Dictionary<string, MemberType>
    {
        ["in_service"] = MemberType.InService,
        ["retired"] = MemberType.Retired,
        ["flexible"] = MemberType.Flexible,
        ["unemployed"] = MemberType.Unemployed,
        ["model_worker"] = MemberType.ModelWorker,
    };

    public static readonly IReadOnlyDictionary<string, AppliesTo> AppliesTo = new Dictionary<string, AppliesTo>
    {
        ["all"] = Benefits.AppliesTo.All,
        ["new"] = Benefits.AppliesTo.New,
        ["continuing"] = Benefits.AppliesTo.Continuing,
    };

    public static readonly IReadOnlyDictionary<string, Accumulate> Accumulate = new Dictionary<string, Accumulate>
    {
        ["claim"] = Benefits.Accumulate.Claim,
        ["year"] = Benefits.Accumulate.Year,
    };

    public static readonly IReadOnlyDictionary<string, Once> Once = new Dictionary<string, Once>
    {
        ["period"] = Benefits.Once.Period,
        ["lifetime"] = Benefits.Once.Lifetime,
    };

    public static readonly IReadOnlyDictionary<string, InsuranceType> InsuranceTypes = new Dictionary<string, InsuranceType>
    {
        ["employee"] = InsuranceType.Employee,
        ["resident"] = InsuranceType.Resident,
        ["other"] = InsuranceType.Other,
    };

    public static readonly IReadOnlyDictionary<string, Procedures> Procedures = new Dictionary<string, Procedures>
    {
        ["surgery"] = Benefits.Procedures.Surgery,
        ["radiotherapy"] = Benefits.Procedures.Radiotherapy,
        ["chemotherapy"] = Benefits.Procedures.Chemotherapy,
    };

    /// <summary>Documents a plan may ask of a manual claim (an extension of the spec), by code, with the name a clerk reads.</summary>
    public static readonly IReadOnlyDictionary<string, string> Documents = new Dictionary<string, string>
    {
        ["idCard"] = "身份证",
        ["bankCard"] = "银行卡",
        ["dischargeSummary"] = "出院小结",
        ["diagnosisCertificate"] = "诊断证明",
        ["invoice"] = "医疗费用发票",
        ["expenseList"] = "费用清单",
        ["settlementStatement"] = "医保结算单",
        ["accidentProof"] = "意外事故证明",
        ["disabilityAssessment"] = "伤残鉴定",
        ["deathCertificate"] = "死亡证明",
        ["fireCertificate"] = "火灾事故认定书",
        ["lossAssessment"] = "财产损失评估",
        ["procedureRecord"] = "手术或放化疗记录",
    };

    /// <summary>Accident grades: disability grades 1 (worst) to 10, a fracture, death.</summary>
    public static readonly IReadOnlySet<string> Grades =
        new HashSet<string>(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "fracture", "death"], StringComparer.Ordinal);

    public static string ChineseName(AmountField field) => field switch
    {
        AmountField.TotalCost => "医疗总费用",
        AmountField.InsurancePaid => "统筹支付",
        AmountField.SelfPayInScope => "政策范围内个人自付",
        AmountField.SelfPayOutOfScope => "自费",
        AmountField.SelfPay => "个人负担",
        AmountField.CashPay => "个人现金支付",
        AmountField.Loss => "火灾财产损失",
        _ => field.ToString(),
    };

    public static string ChineseName(InsuranceType type) => type switch
    {
        InsuranceType.Employee => "城镇职工基本医疗保险",
        InsuranceType.Resident => "城乡居民基本医疗保险",
        InsuranceType.Other => "其他（异地参保或未参保）",
        _ => type.ToString(),
    };

    /// <summary>The treatments named in Chinese, joined by 、 (手术、化疗).</summary>
    public static string ChineseName(Procedures procedures)
    {
        var names = new List<string>(3);
        if ((procedures & Benefits.Procedures.Surgery) != 0)
            names.Add("手术");
        if ((procedures & Benefits.Procedures.Radiotherapy) != 0)
            names.Add("放疗");
        if ((procedures & Benefits.Procedures.Chemotherapy) != 0)
            names.Add("化疗");
        return names.Count == 0 ? "无" : string.Join("、", names);
    }
}
