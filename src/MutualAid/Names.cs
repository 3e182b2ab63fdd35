using MutualAid.Claims;
using MutualAid.Members;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid;

/// <summary>The Chinese names of states, said the same way by pages, the CLI, messages and notices.</summary>
public static class Names
{
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
