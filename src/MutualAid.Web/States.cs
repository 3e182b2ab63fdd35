using MutualAid.Claims;

namespace MutualAid.Web;

public static class States
{
    public static string Name(ClaimState state) => state switch
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
}
