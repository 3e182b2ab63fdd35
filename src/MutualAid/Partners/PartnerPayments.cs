using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Payments;

namespace MutualAid.Partners;

/// <summary>
/// Approved partner statements paid through the same payment batches as claims and relief, to the
/// institution's own account, never a member's: a <see cref="Payment"/> with a
/// <see cref="Payment.StatementId"/> and no member, its unified social credit code in the bank file's
/// id_number. The database allows a statement one payment that has not failed; a partner without a
/// usable account waits (暂缓).
/// </summary>
internal sealed class PartnerPayments(MutualAidDbContext db)
{
    public async Task<(List<Payment> Payments, List<Problem> Held)> PlanAsync(int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
            return ([], []);
        var queue = await (
                from statement in db.PartnerStatements
                where statement.State == StatementState.Approved && !db.Payments.Any(p => p.StatementId == statement.Id && p.State != PaymentState.Failed)
                join partner in db.Partners on statement.PartnerId equals partner.Id
                orderby statement.Id
                select new { Statement = statement, partner.Name, partner.Code, partner.BankAccount, partner.BankName })
            .AsNoTracking().Take(max).ToListAsync(cancellationToken);
        var payments = new List<Payment>();
        var held = new List<Problem>();
        foreach (var q in queue)
        {
            if (!Member.IsBankAccount(q.BankAccount) || string.IsNullOrWhiteSpace(q.BankName))
            {
                held.Add(new Problem(q.Statement.Number, $"合作医疗机构 {q.Name} 没有可用的银行账户（账号 8–30 位数字及开户行），留待管理员补正"));
                continue;
            }
            payments.Add(new Payment(null, null, q.Name.Length > 50 ? q.Name[..50] : q.Name, q.Code, q.BankAccount!, q.BankName!, q.Statement.Discount,
                $"医疗优惠补助 {q.Statement.Number} {q.Statement.Month:yyyy-MM}")
            {
                StatementId = q.Statement.Id,
            });
        }
        return (payments, held);
    }

    /// <summary>The bank paid these statements' lines: each statement is paid, in the caller's unit of work.</summary>
    public async Task PaidAsync(IReadOnlyCollection<Payment> paid, Func<Payment, string> reference, DateTime now, CancellationToken cancellationToken)
    {
        var ids = paid.Where(p => p.StatementId is not null).Select(p => p.StatementId!.Value).ToList();
        if (ids.Count == 0)
            return;
        var statements = await db.PartnerStatements.Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        foreach (var payment in paid.Where(p => p.StatementId is not null))
            statements[payment.StatementId!.Value].MarkPaid(now, reference(payment));
    }
}
