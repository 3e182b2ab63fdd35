using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Premiums;

public sealed record NoticeLine(string Plan, string PlanName, int Heads, int Units, decimal Amount);

/// <summary>缴费通知单: what a payer owes for the periods starting on a day, plan by plan.</summary>
public sealed record PaymentNotice(string Payer, DateOnly PeriodStart, IReadOnlyList<NoticeLine> Lines, decimal Total, decimal Paid, decimal Outstanding, int PendingEnrollments);

/// <summary>What recording a payment did: the new balance and how many enrollments it made active.</summary>
public sealed record PaymentResult(bool AlreadyRecorded, decimal Paid, decimal Outstanding, int Activated, decimal Credit);

/// <summary>
/// Premiums: the payment notice and recording payments, full or partial. Payments for a payer
/// and period start add up; enrollments become active in the order they were made while the
/// money covers them, each from its start if paid before it and otherwise from the next day.
/// </summary>
public sealed class PremiumDesk(MutualAidDbContext db)
{
    public async Task<PaymentNotice> NoticeAsync(PayerRef payer, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var (name, unitId, memberId) = await ResolveAsync(payer, cancellationToken);
        var enrollments = await Enrollments(payer.Kind, unitId, memberId, periodStart).ToListAsync(cancellationToken);
        var names = await db.PlanVersions.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.PlanName, cancellationToken);
        var lines = enrollments.GroupBy(e => e.PlanCode).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NoticeLine(g.Key, names[g.First().PlanVersionId], g.Count(), g.Sum(e => e.Units), g.Aggregate(Money.Zero, (s, e) => s + e.Premium).Yuan))
            .ToList();
        var total = enrollments.Aggregate(Money.Zero, (s, e) => s + e.Premium);
        var paid = await PaidAsync(payer.Kind, unitId, memberId, periodStart, cancellationToken);
        return new PaymentNotice(name, periodStart, lines, total.Yuan, paid.Yuan, Money.Max(Money.Zero, total - paid).Yuan,
            enrollments.Count(e => e.Status == EnrollmentStatus.Pending));
    }

    public async Task<PaymentResult> RecordAsync(PayerRef payer, DateOnly periodStart, Money amount, DateOnly paidOn, string reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidInputException([new Problem("流水号", "不能为空：同一笔款项以流水号识别，不会重复入账")]);
        if (amount <= Money.Zero)
            throw new InvalidInputException([new Problem("金额", $"{amount.ToDisplayString()} 元应大于 0")]);
        var (_, unitId, memberId) = await ResolveAsync(payer, cancellationToken);
        if (await db.PremiumPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Reference == reference, cancellationToken) is { } known)
        {
            if (known.Payer != payer.Kind || known.UnitId != unitId || known.MemberId != memberId || known.Amount != amount || known.PeriodStart != periodStart)
                throw new InvalidInputException([new Problem("流水号", $"{reference} 已用于另一笔缴费（{known.Amount.ToDisplayString()} 元，{known.PaidOn:yyyy-MM-dd}）")]);
            var balance = await NoticeAsync(payer, periodStart, cancellationToken);
            return new PaymentResult(true, balance.Paid, balance.Outstanding, 0, Math.Max(0, balance.Paid - balance.Total));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(new PremiumPayment(payer.Kind, unitId, memberId, periodStart, amount, paidOn, reference.Trim()));
        await db.SaveChangesAsync(cancellationToken);

        var enrollments = await Enrollments(payer.Kind, unitId, memberId, periodStart).AsTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var paid = await PaidAsync(payer.Kind, unitId, memberId, periodStart, cancellationToken);
        var credit = paid - enrollments.Where(e => e.Status == EnrollmentStatus.Active).Aggregate(Money.Zero, (s, e) => s + e.Premium);
        var activated = 0;
        foreach (var enrollment in enrollments.Where(e => e.Status == EnrollmentStatus.Pending))
        {
            if (enrollment.Premium > credit)
                break;
            enrollment.MarkPaid(paidOn);
            credit -= enrollment.Premium;
            activated++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var total = enrollments.Aggregate(Money.Zero, (s, e) => s + e.Premium);
        return new PaymentResult(false, paid.Yuan, Money.Max(Money.Zero, total - paid).Yuan, activated, credit.Yuan);
    }

    private IQueryable<Enrollment.Enrollment> Enrollments(Payer kind, long? unitId, long? memberId, DateOnly periodStart)
    {
        var query = db.Enrollments.AsNoTracking().Where(e => e.Start == periodStart && e.Status != EnrollmentStatus.Withdrawn);
        return kind switch
        {
            Payer.Unit => query.Where(e => e.UnitId == unitId && !e.Gifted),
            Payer.Member => query.Where(e => e.MemberId == memberId && e.UnitId == null && !e.Gifted),
            _ => query.Where(e => e.Gifted),
        };
    }

    private async Task<Money> PaidAsync(Payer kind, long? unitId, long? memberId, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var amounts = await db.PremiumPayments
            .Where(p => p.Payer == kind && p.UnitId == unitId && p.MemberId == memberId && p.PeriodStart == periodStart)
            .Select(p => p.Amount)
            .ToListAsync(cancellationToken);
        return amounts.Aggregate(Money.Zero, (sum, a) => sum + a);
    }

    private async Task<(string Name, long? UnitId, long? MemberId)> ResolveAsync(PayerRef payer, CancellationToken cancellationToken)
    {
        switch (payer.Kind)
        {
            case Payer.Unit:
                var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == payer.Code, cancellationToken)
                    ?? throw new InvalidInputException([new Problem("单位", $"没有统一社会信用代码为 {payer.Code} 的单位")]);
                return (unit.Name, unit.Id, null);
            case Payer.Member:
                var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == payer.Code, cancellationToken)
                    ?? throw new InvalidInputException([new Problem("会员", $"没有身份证号为 {payer.Code} 的会员")]);
                return (member.Name, null, member.Id);
            default:
                return ("工会（赠送）", null, null);
        }
    }
}

/// <summary>A payer: a unit by its credit code, a member by ID number, or the union.</summary>
public sealed record PayerRef(Payer Kind, string? Code)
{
    public static PayerRef Unit(string code) => new(Payer.Unit, code);

    public static PayerRef Member(string idNumber) => new(Payer.Member, idNumber);

    public static readonly PayerRef Union = new(Payer.Union, null);
}
