using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Schemes;

namespace MutualAid.Premiums;

/// <summary>A plan a member may enrol in themselves, for which period and premium; with the reasons when they may not.</summary>
public sealed record PlanOffer(string Plan, string PlanName, DateRange Period, Money Premium, bool Renewal, IReadOnlyList<string> Problems)
{
    /// <summary>The price rule in words (续保 100 元/年 × 2 年).</summary>
    public string PriceRule { get; init; } = "";
}

/// <summary>What a member owes for their own enrollments of the periods starting on a day.</summary>
public sealed record MemberOwed(DateOnly PeriodStart, Money Owed, IReadOnlyList<string> Plans);

/// <summary>
/// 个人自助参保与在线缴费: members without a unit (retirees, new-form workers) enrol themselves
/// and pay through the payment gateway. A new enrolment starts on the first of next month; a
/// held plan is offered again (续保) from the day after it ends, within
/// <see cref="RenewalDays"/> days of that. Payment is recorded only on the gateway's verified
/// notification, as a premium payment whose reference is the gateway's transaction number, and
/// the member is sent an SMS saying so.
/// </summary>
public sealed class OnlinePremiums(MutualAidDbContext db, TimeProvider clock)
{
    public const int RenewalDays = 90;

    public static readonly TimeSpan OrderLifetime = TimeSpan.FromMinutes(30);

    private DateTime Now => clock.Now();

    public async Task<List<PlanOffer>> OffersAsync(long memberId, CancellationToken cancellationToken)
    {
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == memberId, cancellationToken);
        if (member.UnitId is not null)
            return [];
        var loaded = await new SchemeQueries(db).ForEnrolmentAsync(null, cancellationToken);
        var held = (await HeldPeriods.LoadAsync(db, [memberId], cancellationToken)).GetValueOrDefault(memberId, []);
        var today = BeijingTime.Day(Now);
        var offers = new List<PlanOffer>();
        // A plan covering all members is not offered: there is nothing to enrol in.
        foreach (var plan in loaded.Scheme.Plans.Where(p => p.Cover is null && (p.MemberTypes is null || p.MemberTypes.Contains(member.Type))))
        {
            var current = held.Where(h => h.PlanCode == plan.Code && h.Period.End >= today).OrderByDescending(h => h.Period.End).Select(h => (DateRange?)h.Period).FirstOrDefault();
            if (current is { } covered && covered.End.DayNumber - today.DayNumber > RenewalDays)
                continue;
            var start = current?.End.AddDays(1) ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1);
            var period = Placement.NewPeriod(start, EnrollmentRules.PeriodYears(plan, start)).Period;
            var problems = EnrollmentRules.Check(plan, member.BirthDate, member.Gender, member.Type, period, 1, held);
            var price = plan.VersionFor(start) is null ? null : EnrollmentRules.Price(plan, period, 1, null, held);
            offers.Add(new PlanOffer(plan.Code, plan.Name, period, price?.Whole ?? Money.Zero, current is not null, problems) { PriceRule = price?.Reason ?? "" });
        }
        return offers;
    }

    public async Task<Enrollment.Enrollment> EnrolAsync(long memberId, string planCode, Actor actor, CancellationToken cancellationToken)
    {
        var offer = (await OffersAsync(memberId, cancellationToken)).SingleOrDefault(o => o.Plan == planCode)
            ?? throw new InvalidInputException([new Problem("计划", $"{planCode} 不能自助参保：单位职工由单位参保，已参保的计划到期前 {RenewalDays} 天内才能续保")]);
        if (offer.Problems.Count > 0)
            throw new InvalidInputException([.. offer.Problems.Select(p => new Problem(offer.PlanName, p))]);
        var idNumber = await db.Members.Where(m => m.Id == memberId).Select(m => m.IdNumber).SingleAsync(cancellationToken);
        return await new EnrollmentCommands(db, clock).EnrolAsync(idNumber, null, planCode, offer.Period.Start, 1, false, null, actor, cancellationToken);
    }

    /// <summary>What the member still owes for their own pending enrollments, period by period.</summary>
    public async Task<List<MemberOwed>> OwedAsync(long memberId, CancellationToken cancellationToken)
    {
        var pending = await db.Enrollments.AsNoTracking()
            .Where(e => e.MemberId == memberId && e.UnitId == null && e.Status == EnrollmentStatus.Pending)
            .Select(e => new { e.Start, e.PlanVersionId }).ToListAsync(cancellationToken);
        var names = await db.PlanVersions.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.PlanName, cancellationToken);
        var idNumber = await db.Members.Where(m => m.Id == memberId).Select(m => m.IdNumber).SingleAsync(cancellationToken);
        var owed = new List<MemberOwed>();
        foreach (var period in pending.GroupBy(p => p.Start).OrderBy(g => g.Key))
        {
            var notice = await new PremiumDesk(db, clock).NoticeAsync(PayerRef.Member(idNumber), period.Key, cancellationToken);
            if (notice.Outstanding > 0)
                owed.Add(new MemberOwed(period.Key, Money.FromYuan(notice.Outstanding), [.. period.Select(p => names[p.PlanVersionId])]));
        }
        return owed;
    }

    /// <summary>An order for what the member owes for a period: the open one while it has time left and the amount still stands, or a new one.</summary>
    public async Task<PremiumOrder> OrderAsync(long memberId, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var owed = (await OwedAsync(memberId, cancellationToken)).SingleOrDefault(o => o.PeriodStart == periodStart)
            ?? throw new InvalidInputException([new Problem("缴费", $"{periodStart:yyyy-MM-dd} 起的期间没有待缴的会费")]);
        var usable = Now.AddMinutes(5);
        var open = await db.PremiumOrders.Where(o => o.MemberId == memberId && o.PeriodStart == periodStart && o.State == OrderState.Open && o.ExpiresAt > usable)
            .OrderByDescending(o => o.Id).FirstOrDefaultAsync(cancellationToken);
        if (open is not null && open.Amount == owed.Owed)
            return open;
        var number = $"MA{BeijingTime.Day(Now):yyyyMMdd}{RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000)}";
        var order = new PremiumOrder(number, memberId, periodStart, owed.Owed, Now, Now + OrderLifetime);
        db.PremiumOrders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        return order;
    }

    /// <summary>
    /// Records a payment the gateway reported (its notification verified): a premium payment for the
    /// order's period, under the gateway's transaction number. A notification repeated, or repeated
    /// after a crash between the two writes, records nothing twice. A second payment of a paid order
    /// is money received all the same: it is recorded too, and stands to the member's credit.
    /// </summary>
    public async Task<PremiumOrder> ConfirmAsync(GatewayPayment payment, Actor actor, CancellationToken cancellationToken)
    {
        var ordered = await db.PremiumOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Number == payment.OrderNumber, cancellationToken)
            ?? throw new InvalidInputException([new Problem("订单", $"没有订单 {payment.OrderNumber}")]);
        if (payment.Amount != ordered.Amount)
            throw new InvalidInputException([new Problem("金额", $"订单 {ordered.Number} 应付 {ordered.Amount.ToDisplayString()} 元，支付网关报告 {payment.Amount.ToDisplayString()} 元")]);
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == ordered.MemberId, cancellationToken);
        await new PremiumDesk(db, clock).RecordAsync(PayerRef.Member(member.IdNumber), ordered.PeriodStart, payment.Amount, BeijingTime.Day(payment.PaidAt), $"网关{payment.Transaction}", actor, cancellationToken);
        // Read after the payment's unit of work, which starts from a clean change tracker.
        var order = await db.PremiumOrders.SingleAsync(o => o.Id == ordered.Id, cancellationToken);
        if (order.State == OrderState.Open)
        {
            // The member hears of it once: with the order marked paid.
            order.MarkPaid(payment.Transaction, payment.PaidAt);
            var coveredFrom = await db.Enrollments.Where(e => e.MemberId == member.Id && e.Start == order.PeriodStart && e.Status == EnrollmentStatus.Active)
                .MinAsync(e => e.CoverageStart, cancellationToken);
            if (Notifications.Notice.ForPremium(member, payment.Amount, coveredFrom, Now) is { } notice)
                db.Notices.Add(notice);
            await db.SaveChangesAsync(cancellationToken);
        }
        return order;
    }

    /// <summary>Withdraws an enrollment the member made and has not paid for, unless a payment for it may still arrive.</summary>
    public async Task CancelAsync(long memberId, long enrollmentId, Actor actor, CancellationToken cancellationToken)
    {
        var enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.Id == enrollmentId && e.MemberId == memberId && e.UnitId == null, cancellationToken)
            ?? throw new InvalidInputException([new Problem("参保", $"没有参保记录 {enrollmentId}")]);
        if (enrollment.Status != EnrollmentStatus.Pending)
            throw new InvalidInputException([new Problem("参保", "已缴费生效的参保不能在网上取消，请到服务网点办理退保")]);
        if (await db.PremiumOrders.AnyAsync(o => o.MemberId == memberId && o.PeriodStart == enrollment.Start && o.State == OrderState.Open && o.ExpiresAt > Now, cancellationToken))
            throw new InvalidInputException([new Problem("参保", $"有一笔未完成的支付，请在 {OrderLifetime.TotalMinutes:0} 分钟后再取消")]);
        enrollment.Withdraw(BeijingTime.Day(Now));
        db.Audit(actor, Now, "取消自助参保", $"会员 {memberId}", $"参保记录 {enrollmentId}");
        await db.SaveChangesAsync(cancellationToken);
    }
}
