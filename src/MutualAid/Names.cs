using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Enrollment;
using MutualAid.Members;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Units;

namespace MutualAid;

/// <summary>
/// The Chinese names of states, kinds and codes, said the same way by pages, exports, printouts,
/// the CLI, messages and notices: no code is shown where a word exists. Plans and benefits are
/// named by their scheme (<see cref="Schemes.PlanNames"/>).
/// </summary>
public static class Names
{
    /// <summary>
    /// Every code word this table puts into words: enum names and the spec's codes. A page shows
    /// none of them (the walk of every page as every role checks it).
    /// </summary>
    public static IEnumerable<string> CodeWords =>
        new[]
        {
            typeof(ClaimState), typeof(BatchState), typeof(PaymentState), typeof(RecoveryState), typeof(OrderState), typeof(BankChangeState),
            typeof(BankChangeSource), typeof(MemberType), typeof(EventKinds), typeof(EnrollmentStatus), typeof(Origin), typeof(ClaimSource),
            typeof(Payer), typeof(UnitKind), typeof(NoticeTopic), typeof(NoticeState), typeof(InsuranceType),
            typeof(Relief.HardshipState), typeof(Relief.ReliefState), typeof(Partners.StatementState), typeof(Partners.PartnerKind),
        }
        .SelectMany(Enum.GetNames)
        .Concat(SpecNames.Documents.Keys).Concat(SpecNames.EventKinds.Keys).Concat(SpecNames.MemberTypes.Keys)
        .Where(w => w is not "None" and not "Other" && w.Length > 2)
        .Distinct(StringComparer.Ordinal);

    public static string Of(MemberType type) => type switch
    {
        MemberType.InService => "在职",
        MemberType.Retired => "退休",
        MemberType.Flexible => "新就业形态",
        MemberType.Unemployed => "失业",
        MemberType.ModelWorker => "劳模",
        _ => type.ToString(),
    };

    /// <summary>The member's basic medical insurance, or 未登记 while neither roster nor settlement has said it.</summary>
    public static string Of(InsuranceType? type) => type is { } known ? SpecNames.ChineseName(known) : "未登记";

    public static string Of(EventKinds kind) => kind switch
    {
        EventKinds.Hospitalization => "住院",
        EventKinds.OutpatientSpecial => "门诊特殊病",
        EventKinds.Diagnosis => "重大疾病确诊",
        EventKinds.Accident => "意外伤害",
        EventKinds.Fire => "家庭财产火灾",
        _ => string.Join("、", Enum.GetValues<EventKinds>().Where(k => k != EventKinds.None && kind.HasFlag(k)).Select(Of)),
    };

    public static string Of(EnrollmentStatus status) => status switch
    {
        EnrollmentStatus.Pending => "待缴费",
        EnrollmentStatus.Active => "有效",
        EnrollmentStatus.Withdrawn => "已退保",
        _ => status.ToString(),
    };

    public static string Of(ClaimSource source) => source switch
    {
        ClaimSource.Automatic => "无感办",
        ClaimSource.Manual => "人工受理",
        _ => source.ToString(),
    };

    public static string Of(Origin origin) => origin switch
    {
        Origin.Web => "网页",
        Origin.Api => "接口",
        Origin.Cli => "命令行",
        Origin.System => "系统",
        _ => origin.ToString(),
    };

    public static string Of(Payer payer) => payer switch
    {
        Payer.Unit => "单位",
        Payer.Member => "个人",
        Payer.Union => "工会",
        Payer.Government => "政府",
        Payer.Donation => "社会捐赠",
        _ => payer.ToString(),
    };

    public static string Of(UnitKind kind) => kind switch
    {
        UnitKind.Government => "机关",
        UnitKind.Institution => "事业单位",
        UnitKind.StateOwned => "国有企业",
        UnitKind.Private => "民营企业",
        UnitKind.Association => "社会团体",
        UnitKind.Platform => "新业态平台",
        _ => "其他",
    };

    public static string Of(NoticeTopic topic) => topic switch
    {
        NoticeTopic.ClaimSubmitted => "理赔受理",
        NoticeTopic.ClaimApproved => "理赔审批",
        NoticeTopic.ClaimRejected => "理赔驳回",
        NoticeTopic.ClaimReturned => "理赔退回补正",
        NoticeTopic.ClaimPaid => "互助金到账",
        NoticeTopic.PremiumPaid => "缴费到账",
        NoticeTopic.BankAccountChanged => "银行卡变更",
        NoticeTopic.ReliefApproved => "二次救助核准",
        NoticeTopic.ReliefPaid => "二次救助到账",
        _ => topic.ToString(),
    };

    public static string Of(NoticeState state) => state switch
    {
        NoticeState.Pending => "待发送",
        NoticeState.Failed => "发送失败",
        NoticeState.GaveUp => "已放弃",
        NoticeState.Sent => "已发送",
        _ => state.ToString(),
    };

    /// <summary>A document of a claim's checklist by its code (idCard → 身份证).</summary>
    public static string Document(string code) => SpecNames.Documents.GetValueOrDefault(code, code);
    public static string Of(ClaimState state) => state switch
    {
        ClaimState.Submitted => "受理",
        ClaimState.PendingReview => "待复核",
        ClaimState.Approved => "已审批",
        ClaimState.Paid => "已支付",
        ClaimState.Rejected => "驳回",
        ClaimState.Returned => "退回",
        ClaimState.NothingPayable => "无应付",
        ClaimState.Reversed => "已冲销",
        _ => state.ToString(),
    };

    public static string Of(BatchState state) => state switch
    {
        BatchState.Draft => "待审批",
        BatchState.Approved => "已审批",
        BatchState.Exported => "已送银行",
        BatchState.Closed => "已回盘",
        _ => state.ToString(),
    };

    public static string Of(PaymentState state) => state switch
    {
        PaymentState.Pending => "银行处理中",
        PaymentState.Paid => "支付成功",
        PaymentState.Failed => "支付失败",
        _ => state.ToString(),
    };

    public static string Of(RecoveryState state) => state switch
    {
        RecoveryState.Open => "待追回",
        RecoveryState.Recovered => "已追回",
        _ => state.ToString(),
    };

    public static string Of(OrderState state) => state switch
    {
        OrderState.Open => "待支付",
        OrderState.Paid => "已支付",
        _ => state.ToString(),
    };

    public static string Of(ModelWorkers.ModelWorkerLevel level) => level switch
    {
        ModelWorkers.ModelWorkerLevel.National => "全国",
        ModelWorkers.ModelWorkerLevel.Provincial => "省部级",
        _ => "市级",
    };

    public static string Of(Relief.HardshipState state) => state switch
    {
        Relief.HardshipState.Pending => "待认定",
        Relief.HardshipState.Approved => "已认定",
        Relief.HardshipState.Closed => "已撤销",
        _ => state.ToString(),
    };

    public static string Of(Relief.ReliefState state) => state switch
    {
        Relief.ReliefState.Submitted => "待复核",
        Relief.ReliefState.Approved => "已核准",
        Relief.ReliefState.Refused => "不予核准",
        Relief.ReliefState.Paid => "已发放",
        _ => state.ToString(),
    };

    public static string Of(Partners.StatementState state) => state switch
    {
        Partners.StatementState.Imported => "待复核",
        Partners.StatementState.Approved => "已核准",
        Partners.StatementState.Refused => "不予核准",
        Partners.StatementState.Paid => "已付款",
        _ => state.ToString(),
    };

    public static string Of(Partners.PartnerKind kind) => kind switch
    {
        Partners.PartnerKind.Hospital => "医院",
        Partners.PartnerKind.Pharmacy => "药店",
        _ => kind.ToString(),
    };

    public static string Of(BankChangeState state) => state switch
    {
        BankChangeState.Pending => "待生效",
        BankChangeState.Confirmed => "已复核生效",
        BankChangeState.Cancelled => "已撤销",
        BankChangeState.Superseded => "已被取代",
        _ => state.ToString(),
    };

    public static string Of(BankChangeSource source) => source switch
    {
        BankChangeSource.Unit => "单位花名册",
        BankChangeSource.Clerk => "经办",
        BankChangeSource.Member => "本人自助",
        _ => source.ToString(),
    };
}
