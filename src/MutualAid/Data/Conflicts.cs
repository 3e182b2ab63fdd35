using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid.Data;

/// <summary>What to tell the person whose change lost the race: the record, and what it is now.</summary>
internal static class Conflicts
{
    public static async Task<Problem> DescribeAsync(EntityEntry entry, CancellationToken cancellationToken)
    {
        // A budget has no state: its version alone says someone else took from it first.
        var values = entry.Metadata.FindProperty(nameof(Claim.State)) is null ? null : await entry.GetDatabaseValuesAsync(cancellationToken);
        var state = values?[nameof(Claim.State)] switch
        {
            ClaimState s => Names.Of(s),
            BatchState s => Names.Of(s),
            PaymentState s => Names.Of(s),
            RecoveryState s => Names.Of(s),
            OrderState s => Names.Of(s),
            Members.BankChangeState s => Names.Of(s),
            Relief.HardshipState s => Names.Of(s),
            Relief.ReliefState s => Names.Of(s),
            Partners.StatementState s => Names.Of(s),
            _ => null,
        };
        var subject = entry.Entity switch
        {
            Claim c => $"理赔 {c.Number}",
            PaymentBatch b => $"批次 {b.Code}",
            Payment p => $"批次付款第 {p.LineNo} 笔",
            Recovery r => $"追回款 {r.Id}",
            PremiumOrder o => $"订单 {o.Number}",
            Members.BankAccountChange c => c.Subject,
            Relief.HardshipFile f => $"困难档案 {f.Number}",
            Relief.ReliefApplication a => $"救助申请 {a.Number}",
            Relief.ReliefBudget b => $"{b.Year} 年救助预算",
            Partners.Partner p => $"合作医疗机构 {p.Name}",
            Partners.PartnerStatement s => $"结算单 {s.Number}",
            Units.Unit u => $"单位 {u.Code}",
            _ => entry.Metadata.ClrType.Name,
        };
        return new Problem(subject, state is null
            ? "已由他人同时处理，本次操作未生效，请刷新后查看"
            : $"已由他人同时处理（现为“{state}”），本次操作未生效，请刷新后查看");
    }
}
