using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Notifications;
using MutualAid.Payments;

namespace MutualAid.Relief;

/// <summary>
/// Approved relief paid through the same payment batches as claims: <see cref="PaymentDesk"/> asks
/// here for the lines of a batch and tells here what the bank paid. A relief line is a
/// <see cref="Payment"/> with a <see cref="Payment.ReliefId"/> instead of a claim, so the batch's
/// approval, its file, its books and the bank's return are the claims' own; the database allows an
/// application one payment that has not failed. The same holds as for claims: no usable bank account,
/// or a changed one not yet in effect, and the relief waits.
/// </summary>
internal sealed class ReliefPayments(MutualAidDbContext db)
{
    public async Task<(List<Payment> Payments, List<Problem> Held)> PlanAsync(int max, DateTime now, CancellationToken cancellationToken)
    {
        if (max <= 0)
            return ([], []);
        var queue = await (
                from application in db.ReliefApplications
                where application.State == ReliefState.Approved && !db.Payments.Any(p => p.ReliefId == application.Id && p.State != PaymentState.Failed)
                join member in db.Members on application.MemberId equals member.Id
                orderby application.Id
                select new { Application = application, member.Name, member.IdNumber, member.BankAccount, member.BankName })
            .AsNoTracking().Take(max).ToListAsync(cancellationToken);
        var memberIds = queue.Select(q => q.Application.MemberId).Distinct().ToList();
        var since = now - BankAccountChange.NewFor;
        var changes = await db.BankAccountChanges.AsNoTracking()
            .Where(c => memberIds.Contains(c.MemberId) && c.MadeAt >= since && (c.State == BankChangeState.Pending || c.State == BankChangeState.Confirmed))
            .ToListAsync(cancellationToken);
        var payments = new List<Payment>();
        var held = new List<Problem>();
        foreach (var q in queue)
        {
            var who = $"{q.Name}（{IdNumber.Parse(q.IdNumber).Masked}）";
            if (q.BankAccount is not { } account || !Member.IsBankAccount(account) || string.IsNullOrWhiteSpace(q.BankName))
            {
                held.Add(new Problem(q.Application.Number, $"{who}没有可用的银行账户（账号 8–30 位数字及开户行），留待补正"));
                continue;
            }
            var own = changes.Where(c => c.MemberId == q.Application.MemberId).ToList();
            if (own.FirstOrDefault(c => c.Waiting(now)) is { } waiting)
            {
                held.Add(new Problem(q.Application.Number, $"{who}的银行卡于 {BeijingTime.Day(waiting.MadeAt):yyyy-MM-dd} 变更为{waiting.NewBankName} 尾号 {waiting.NewAccountTail}，"
                    + $"待经办复核或 {BeijingTime.Day(waiting.EffectiveAt):yyyy-MM-dd} 生效后发放"));
                continue;
            }
            payments.Add(new Payment(null, q.Application.MemberId, q.Name, q.IdNumber, account, q.BankName!, q.Application.Amount, $"二次救助 {q.Application.Number}")
            {
                ReliefId = q.Application.Id,
                NewAccount = own.Count > 0,
            });
        }
        return (payments, held);
    }

    /// <summary>The bank paid these relief lines: each application is paid, and the member told, in the caller's unit of work.</summary>
    public async Task PaidAsync(IReadOnlyCollection<Payment> paid, Func<Payment, string> reference, DateTime now, CancellationToken cancellationToken)
    {
        var ids = paid.Where(p => p.ReliefId is not null).Select(p => p.ReliefId!.Value).ToList();
        if (ids.Count == 0)
            return;
        var applications = await db.ReliefApplications.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var memberIds = applications.Values.Select(a => a.MemberId).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => (m.Name, m.Phone), cancellationToken);
        foreach (var payment in paid.Where(p => p.ReliefId is not null))
        {
            var application = applications[payment.ReliefId!.Value];
            application.MarkPaid(now, reference(payment));
            var (name, phone) = members[application.MemberId];
            if (Notice.ForRelief(application, name, phone, now) is { } notice)
                db.Notices.Add(notice);
        }
    }
}
