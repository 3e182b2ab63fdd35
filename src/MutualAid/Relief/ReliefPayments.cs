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
        var changes = await PayeeHold.RecentChangesAsync(db, [.. queue.Select(q => q.Application.MemberId).Distinct()], now, cancellationToken);
        var payments = new List<Payment>();
        var held = new List<Problem>();
        foreach (var q in queue)
        {
            var (why, newAccount) = PayeeHold.Of(q.Name, q.IdNumber, q.BankAccount, q.BankName, changes[q.Application.MemberId], now);
            if (why is not null)
            {
                held.Add(new Problem(q.Application.Number, why));
                continue;
            }
            payments.Add(new Payment(null, q.Application.MemberId, q.Name, q.IdNumber, q.BankAccount!, q.BankName!, q.Application.Amount, $"二次救助 {q.Application.Number}")
            {
                ReliefId = q.Application.Id,
                NewAccount = newAccount,
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
