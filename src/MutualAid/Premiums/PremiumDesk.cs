using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Premiums;

/// <summary>One line of a notice: a plan's enrolments charged by one price rule (<see cref="Price"/>, e.g. 民营企业 续保 40 元/年 × 2 年).</summary>
public sealed record NoticeLine(string Plan, string PlanName, int Heads, int Units, decimal Amount, string Price = "");

/// <summary>缴费通知单: what a payer owes for the periods starting on a day, plan by plan and price by price.</summary>
public sealed record PaymentNotice(string Payer, DateOnly PeriodStart, IReadOnlyList<NoticeLine> Lines, decimal Total, decimal Paid, decimal Outstanding, int PendingEnrollments);

/// <summary>What recording a payment did: the payer's balance and how many enrollments became active.</summary>
public sealed record PaymentResult(bool AlreadyRecorded, decimal Paid, decimal Outstanding, int Activated);

/// <summary>
/// Premiums: the payment notice and recording payments, full or partial. Each payer owes its
/// part of each enrollment: a unit the worker's and employer's parts of the enrollments it made,
/// an individual their own, the union, the government and donors their parts anywhere. A payer's
/// payments, in the order received, cover its parts in the order the enrollments were made. An
/// enrollment becomes active once every part is covered, from its start if that was before it
/// and otherwise from the day after the last part came in.
/// </summary>
public sealed class PremiumDesk(MutualAidDbContext db, TimeProvider? clock = null)
{
    public async Task<PaymentNotice> NoticeAsync(PayerRef payer, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var (name, account) = await ResolveAsync(payer, cancellationToken);
        // A unit's or a member's own parts are on their enrollments only; a funder's may be on any.
        var enrollments = db.Enrollments.AsNoTracking().Where(e => e.Start == periodStart && e.Status != EnrollmentStatus.Withdrawn);
        enrollments = account.Payer switch
        {
            Payer.Unit => enrollments.Where(e => e.UnitId == account.UnitId),
            Payer.Member => enrollments.Where(e => e.MemberId == account.MemberId && e.UnitId == null),
            _ => enrollments,
        };
        var owed = (await enrollments.OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .Select(e => (Enrollment: e, Part: PartOwed(e, account))).Where(x => x.Part > Money.Zero).ToList();
        var names = await db.PlanVersions.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.PlanName, cancellationToken);
        var lines = owed.GroupBy(x => (x.Enrollment.PlanCode, x.Enrollment.PriceRule)).OrderBy(g => g.Key.PlanCode, StringComparer.Ordinal).ThenBy(g => g.Key.PriceRule, StringComparer.Ordinal)
            .Select(g => new NoticeLine(g.Key.PlanCode, names[g.First().Enrollment.PlanVersionId], g.Count(), g.Sum(x => x.Enrollment.Units), Money.Sum(g.Select(x => x.Part)).Yuan, g.Key.PriceRule))
            .ToList();
        var total = Money.Sum(owed.Select(x => x.Part));
        var paid = Money.Sum((await db.PremiumPayments.AsNoTracking().Where(p => p.PeriodStart == periodStart && p.Payer == account.Payer && p.UnitId == account.UnitId && p.MemberId == account.MemberId)
            .ToListAsync(cancellationToken)).Select(p => p.Amount));
        return new PaymentNotice(name, periodStart, lines, total.Yuan, paid.Yuan, Money.Max(Money.Zero, total - paid).Yuan,
            owed.Count(x => x.Enrollment.Status == EnrollmentStatus.Pending));
    }

    public Task<PaymentResult> RecordAsync(PayerRef payer, DateOnly periodStart, Money amount, DateOnly paidOn, string reference, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => RecordAttemptAsync(payer, periodStart, amount, paidOn, reference, actor, ct), cancellationToken);

    private async Task<PaymentResult> RecordAttemptAsync(PayerRef payer, DateOnly periodStart, Money amount, DateOnly paidOn, string reference, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
            throw new InvalidInputException([new Problem("流水号", "不能为空：同一笔款项以流水号识别，不会重复入账")]);
        if (amount <= Money.Zero)
            throw new InvalidInputException([new Problem("金额", $"{amount.ToDisplayString()} 元应大于 0")]);
        var (payerName, account) = await ResolveAsync(payer, cancellationToken);
        reference = reference.Trim();
        if (await db.PremiumPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Reference == reference, cancellationToken) is { } known)
        {
            if (Account.Of(known) != account || known.Amount != amount || known.PeriodStart != periodStart)
                throw new InvalidInputException([new Problem("流水号", $"{reference} 已用于另一笔缴费（{known.Amount.ToDisplayString()} 元，{known.PaidOn:yyyy-MM-dd}）")]);
            var balance = await NoticeAsync(payer, periodStart, cancellationToken);
            return new PaymentResult(true, balance.Paid, balance.Outstanding, 0);
        }

        var payment = new PremiumPayment(account.Payer, account.UnitId, account.MemberId, periodStart, amount, paidOn, reference);
        db.PremiumPayments.Add(payment);
        var now = (clock ?? TimeProvider.System).Now();
        await new Ledger.Books(db).PremiumAsync(payment, now, cancellationToken);
        db.Audit(actor, now, "登记会费到账", reference, $"{payerName} {periodStart:yyyy-MM-dd} 起 {amount.ToDisplayString()} 元，{paidOn:yyyy-MM-dd} 到账");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.PremiumPayments.AsNoTracking().Any(p => p.Reference == reference))
        {
            throw new InvalidInputException("流水号", $"{reference} 刚由他人同时登记，本次未重复入账");
        }
        var activated = await SettleAsync(periodStart, account, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        var after = await NoticeAsync(payer, periodStart, cancellationToken);
        return new PaymentResult(false, after.Paid, after.Outstanding, activated);
    }

    /// <summary>
    /// Activates every pending enrollment of the period that has a part of <paramref name="paid"/>
    /// and whose parts are all covered. Each payer's payments are walked over that payer's own
    /// enrollments only (a unit's, a member's, or those with a funder's part), so a unit's payment
    /// reads the unit's enrollments and not the city's.
    /// </summary>
    private async Task<int> SettleAsync(DateOnly periodStart, Account paid, CancellationToken cancellationToken)
    {
        var period = db.Enrollments.Where(e => e.Start == periodStart && e.Status != EnrollmentStatus.Withdrawn);
        var mine = await Owing(period, paid).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var accounts = mine.Where(e => e.Status == EnrollmentStatus.Pending).SelectMany(e => Parts(e).Select(p => p.Account)).Append(paid).Distinct().ToList();
        var coveredOn = new Dictionary<(long Enrollment, Account Account), DateOnly>();
        foreach (var account in accounts)
        {
            var owing = account == paid ? mine : await Owing(period, account).AsNoTracking().OrderBy(e => e.Id).ToListAsync(cancellationToken);
            var received = await db.PremiumPayments.AsNoTracking()
                .Where(p => p.PeriodStart == periodStart && p.Payer == account.Payer && p.UnitId == account.UnitId && p.MemberId == account.MemberId)
                .OrderBy(p => p.PaidOn).ThenBy(p => p.Id).ToListAsync(cancellationToken);
            var total = Money.Zero;
            var next = 0;
            var owed = Money.Zero;
            foreach (var enrollment in owing)
            {
                owed += PartOwed(enrollment, account);
                while (total < owed && next < received.Count)
                    total += received[next++].Amount;
                if (total < owed)
                    break;
                coveredOn[(enrollment.Id, account)] = received[Math.Max(0, next - 1)].PaidOn;
            }
        }
        var activated = 0;
        foreach (var enrollment in mine.Where(e => e.Status == EnrollmentStatus.Pending))
        {
            var dates = Parts(enrollment).Select(p => coveredOn.TryGetValue((enrollment.Id, p.Account), out var day) ? day : (DateOnly?)null).ToList();
            if (dates.Count == 0 || dates.Any(d => d is null))
                continue;
            enrollment.MarkPaid(dates.Max()!.Value);
            activated++;
        }
        return activated;
    }

    /// <summary>The enrollments on which an account owes a part, in the database.</summary>
    private static IQueryable<Enrollment.Enrollment> Owing(IQueryable<Enrollment.Enrollment> period, Account account) => account.Payer switch
    {
        Payer.Unit => period.Where(e => e.UnitId == account.UnitId && (e.Shares.Worker > Money.Zero || e.Shares.Employer > Money.Zero)),
        Payer.Member => period.Where(e => e.MemberId == account.MemberId && e.UnitId == null && (e.Shares.Worker > Money.Zero || e.Shares.Employer > Money.Zero)),
        Payer.Union => period.Where(e => e.Shares.Union > Money.Zero),
        Payer.Government => period.Where(e => e.Shares.Government > Money.Zero),
        _ => period.Where(e => e.Shares.Donation > Money.Zero),
    };

    /// <summary>Who owes which part of an enrollment; a part of 0 is owed by nobody.</summary>
    private static IEnumerable<(Account Account, Money Part)> Parts(Enrollment.Enrollment e)
    {
        var own = e.Shares.Worker + e.Shares.Employer;
        if (own > Money.Zero)
            yield return (e.UnitId is { } unit ? new Account(Payer.Unit, unit, null) : new Account(Payer.Member, null, e.MemberId), own);
        if (e.Shares.Union > Money.Zero)
            yield return (new Account(Payer.Union, null, null), e.Shares.Union);
        if (e.Shares.Government > Money.Zero)
            yield return (new Account(Payer.Government, null, null), e.Shares.Government);
        if (e.Shares.Donation > Money.Zero)
            yield return (new Account(Payer.Donation, null, null), e.Shares.Donation);
    }

    private static Money PartOwed(Enrollment.Enrollment e, Account account) =>
        Money.Sum(Parts(e).Where(p => p.Account == account).Select(p => p.Part));

    private async Task<(string Name, Account Account)> ResolveAsync(PayerRef payer, CancellationToken cancellationToken)
    {
        switch (payer.Kind)
        {
            case Payer.Unit:
                var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == payer.Code, cancellationToken)
                    ?? throw new InvalidInputException([new Problem("单位", $"没有统一社会信用代码为 {payer.Code} 的单位")]);
                return (unit.Name, new Account(Payer.Unit, unit.Id, null));
            case Payer.Member:
                var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == payer.Code, cancellationToken)
                    ?? throw new InvalidInputException([new Problem("会员", $"没有身份证号为 {payer.Code} 的会员")]);
                return (member.Name, new Account(Payer.Member, null, member.Id));
            default:
                return (payer.Kind switch { Payer.Union => "工会", Payer.Government => "政府补助", _ => "社会捐赠" }, new Account(payer.Kind, null, null));
        }
    }

    /// <summary>One payer's account for a period: a unit, a member, or the union, the government or donors.</summary>
    private readonly record struct Account(Payer Payer, long? UnitId, long? MemberId)
    {
        public static Account Of(PremiumPayment payment) => new(payment.Payer, payment.UnitId, payment.MemberId);
    }
}

/// <summary>A payer: a unit by its credit code, a member by ID number, or one of the funders.</summary>
public sealed record PayerRef(Payer Kind, string? Code)
{
    public static readonly PayerRef Union = new(Payer.Union, null);

    public static readonly PayerRef Government = new(Payer.Government, null);

    public static readonly PayerRef Donation = new(Payer.Donation, null);

    public static PayerRef Unit(string code) => new(Payer.Unit, code);

    public static PayerRef Member(string idNumber) => new(Payer.Member, idNumber);
}
