using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid.Ledger;

/// <summary>What a close did: closed the month, or found it closed already (sent twice, or an earlier month).</summary>
public sealed record CloseOutcome(bool Closed, string Message);

/// <summary>
/// The fund's books: each business event posts its balanced entry into the caller's unit of
/// work, saved in the same transaction as the event. Months close in order, so the books are
/// closed through the latest closed month: an entry dated in it or any month before is refused,
/// and with it the event; it is never moved to another date without a person deciding so.
/// </summary>
public sealed class Books(MutualAidDbContext db)
{
    /// <summary>The first day an entry may be dated: the month after the latest closed one.</summary>
    private DateOnly? _openFrom;


    public async Task PostAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        _openFrom ??= await ClosedThroughAsync(cancellationToken) is { } closed ? closed.AddMonths(1) : DateOnly.MinValue;
        if (entry.Date < _openFrom)
        {
            var through = _openFrom.Value.AddMonths(-1);
            var month = new DateOnly(entry.Date.Year, entry.Date.Month, 1);
            var why = month == through ? $"{month:yyyy-MM} 已结账" : $"{month:yyyy-MM} 早于已结账的 {through:yyyy-MM}";
            throw new InvalidInputException([new Problem("账期",
                $"{why}，不能再记账（{entry.Date:yyyy-MM-dd} {entry.Memo}）；如确需入账，请经办人改记在 {_openFrom:yyyy-MM} 或以后的日期")]);
        }
        db.JournalEntries.Add(entry);
    }

    /// <summary>
    /// 结账: closes a month; entries dated in it or before are refused from now on. The first close
    /// may be any ended month (the books start there); after it only the month after the latest
    /// closed one. A month closed already, or sent twice at once, is closed once and says so.
    /// </summary>
    public async Task<CloseOutcome> CloseAsync(int year, int month, Actor actor, DateTime at, CancellationToken cancellationToken)
    {
        if (month is < 1 or > 12 || string.IsNullOrWhiteSpace(actor.User))
            throw new InvalidInputException([new Problem("账期", "应为 YYYY-MM，并写明结账人")]);
        var first = new DateOnly(year, month, 1);
        var latest = await ClosedThroughAsync(cancellationToken);
        if (latest is { } through && first <= through)
            return Already(first, through);
        if (first.AddMonths(1) > BeijingTime.Day(at))
            throw new InvalidInputException([new Problem("账期", $"{first:yyyy-MM} 尚未结束，不能结账")]);
        if (latest is { } last && first != last.AddMonths(1))
            throw new InvalidInputException([new Problem("账期", $"须按月依次结账：已结账至 {last:yyyy-MM}，下一个应结账的是 {last.AddMonths(1):yyyy-MM}，不能结 {first:yyyy-MM}")]);
        var period = db.ClosedPeriods.Add(new ClosedPeriod(year, month, actor.User, at));
        db.Audit(actor, at, "结账", $"账期 {first:yyyy-MM}", $"{first:yyyy-MM} 及以前不再记账");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on (year, month) let only one of two closes sent at once through.
            period.State = EntityState.Detached;
            foreach (var line in db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
                line.State = EntityState.Detached;
            if (!await db.ClosedPeriods.AnyAsync(p => p.Year == year && p.Month == month, cancellationToken))
                throw;
            return Already(first, first);
        }
        _openFrom = null;
        return new CloseOutcome(true, $"{first:yyyy-MM} 已结账");

        static CloseOutcome Already(DateOnly month, DateOnly through) =>
            new(false, month == through ? $"{month:yyyy-MM} 已结账，未作改动" : $"{month:yyyy-MM} 已结账（已结账至 {through:yyyy-MM}），未作改动");
    }

    /// <summary>
    /// 反结账: reopens the latest closed month, an act of two people (the one who reopens and the
    /// one who approves), recorded in the audit trail in the same transaction.
    /// </summary>
    public async Task ReopenAsync(int year, int month, string by, string approvedBy, DateTime at, CancellationToken cancellationToken)
    {
        if (month is < 1 or > 12 || string.IsNullOrWhiteSpace(by) || string.IsNullOrWhiteSpace(approvedBy))
            throw new InvalidInputException([new Problem("账期", "应为 YYYY-MM，并写明反结账人和批准人")]);
        if (string.Equals(by.Trim(), approvedBy.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException([new Problem("批准人", $"反结账须由另一人批准，{by} 不能批准自己的反结账")]);
        var first = new DateOnly(year, month, 1);
        var latest = await ClosedThroughAsync(cancellationToken);
        if (latest != first)
            throw new InvalidInputException([new Problem("账期", latest is { } last
                ? $"只能反结账最近结账的月份 {last:yyyy-MM}，不能反结账 {first:yyyy-MM}"
                : $"{first:yyyy-MM} 未结账，无需反结账")]);
        var period = await db.ClosedPeriods.SingleAsync(p => p.Year == year && p.Month == month, cancellationToken);
        db.ClosedPeriods.Remove(period);
        db.AuditEntries.Add(new Auditing.AuditEntry(at, by, "反结账", $"账期 {first:yyyy-MM}",
            $"{by} 反结账 {first:yyyy-MM}（原由 {period.ClosedBy} 结账），经 {approvedBy} 批准", null));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new InvalidInputException([new Problem("账期", $"{first:yyyy-MM} 刚被另一人反结账")]);
        }
        _openFrom = null;
    }

    /// <summary>The first day of the latest closed month; null before the first close.</summary>
    public async Task<DateOnly?> ClosedThroughAsync(CancellationToken cancellationToken)
    {
        var latest = await db.ClosedPeriods.AsNoTracking().OrderByDescending(p => p.Year).ThenByDescending(p => p.Month)
            .Select(p => new { p.Year, p.Month }).FirstOrDefaultAsync(cancellationToken);
        return latest is null ? null : new DateOnly(latest.Year, latest.Month, 1);
    }

    /// <summary>
    /// 期初余额: the money in the fund's account when its books move to this system, brought forward
    /// from the years before (the bank against 互助金结余, for the city pool). Once, dated before every
    /// other entry, so the books read as if kept here from the start; audited and saved here.
    /// </summary>
    public async Task<JournalEntry> OpeningBalanceAsync(DateOnly date, Money amount, string memo, Actor actor, DateTime at, CancellationToken cancellationToken)
    {
        if (amount <= Money.Zero)
            throw new InvalidInputException("期初余额", $"应为正数金额，而不是 {amount.ToDisplayString()} 元");
        if (await db.JournalEntries.AsNoTracking().Where(e => e.Kind == EntryKind.OpeningBalance).Select(e => (DateOnly?)e.Date).FirstOrDefaultAsync(cancellationToken) is { } already)
            throw new InvalidInputException("期初余额", $"已于 {already:yyyy-MM-dd} 登记期初余额，不能再登记；如有差错，以冲销凭证更正");
        if (await db.JournalEntries.AsNoTracking().Where(e => e.Date <= date).OrderBy(e => e.Date).Select(e => (DateOnly?)e.Date).FirstOrDefaultAsync(cancellationToken) is { } first)
            throw new InvalidInputException("期初余额", $"须早于账上第一笔凭证（{first:yyyy-MM-dd}），不能记在 {date:yyyy-MM-dd}");
        var entry = new JournalEntry(date, EntryKind.OpeningBalance, null, memo, [Posting.Dr(Accounts.Bank, amount), Posting.Cr(Accounts.Reserve, amount)], at);
        await PostAsync(entry, cancellationToken);
        db.Audit(actor, at, "登记期初余额", $"账期 {date:yyyy-MM}", $"{amount.ToDisplayString()} 元：{memo}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new InvalidInputException("期初余额", "另一人刚刚登记了期初余额，不能再登记；如有差错，以冲销凭证更正");
        }
        return entry;
    }

    /// <summary>A premium received: the bank account against the payer's income, in the payer's district.</summary>
    public async Task PremiumAsync(PremiumPayment payment, DateTime at, CancellationToken cancellationToken)
    {
        var district = payment.UnitId is { } unit
            ? await db.Units.Where(u => u.Id == unit).Join(db.Districts, u => u.DistrictId, d => d.Id, (_, d) => d.Code).SingleAsync(cancellationToken)
            : payment.MemberId is { } member ? (await DistrictsAsync([member], cancellationToken))[member] : null;
        await PostAsync(new JournalEntry(payment.PaidOn, EntryKind.PremiumReceived, district, $"收到会费 {payment.Reference}",
            [Posting.Dr(Accounts.Bank, payment.Amount), Posting.Cr(Accounts.Income(payment.Payer), payment.Amount)], at), cancellationToken);
    }

    /// <summary>A recovery repaid: the bank account against what the member owed, in the claim's district.</summary>
    public async Task RecoveryCollectedAsync(Recovery recovery, long memberId, DateTime at, CancellationToken cancellationToken)
    {
        var district = (await DistrictsAsync([memberId], cancellationToken))[memberId];
        await PostAsync(new JournalEntry(recovery.RecoveredOn!.Value, EntryKind.RecoveryCollected, district, $"收回追回款 {recovery.Reference}",
            [Posting.Dr(Accounts.Bank, recovery.Amount), Posting.Cr(Accounts.RecoveriesReceivable, recovery.Amount)], at), cancellationToken);
    }

    /// <summary>Claims approved: the expense of each plan against what is owed to members; one entry per district.</summary>
    public Task ApprovedAsync(IReadOnlyCollection<Claim> claims, DateTime at, CancellationToken cancellationToken) =>
        ByDistrictAsync(claims, at, EntryKind.ClaimsApproved, "审批理赔", (plan, amount) => Posting.Dr(Accounts.Expense(plan), amount),
            total => Posting.Cr(Accounts.PayableToMembers, total), cancellationToken);

    /// <summary>Approved claims reversed before payment (their settlement refunded): the approval the other way round.</summary>
    public Task ReversedAsync(IReadOnlyCollection<Claim> claims, DateTime at, CancellationToken cancellationToken) =>
        ByDistrictAsync(claims, at, EntryKind.ClaimReversed, "冲销理赔", (plan, amount) => Posting.Cr(Accounts.Expense(plan), amount),
            total => Posting.Dr(Accounts.PayableToMembers, total), cancellationToken);

    /// <summary>Recoveries opened on paid claims: the member owes the money back; the expense is reduced.</summary>
    public Task RecoveriesAsync(IReadOnlyCollection<Claim> claims, DateTime at, CancellationToken cancellationToken) =>
        ByDistrictAsync(claims, at, EntryKind.RecoveryOpened, "追回理赔", (plan, amount) => Posting.Cr(Accounts.Expense(plan), amount),
            total => Posting.Dr(Accounts.RecoveriesReceivable, total), cancellationToken);

    /// <summary>A relief application approved: second-round relief's expense against what is owed to the member, in the member's district.</summary>
    public async Task ReliefApprovedAsync(Relief.ReliefApplication application, DateTime at, CancellationToken cancellationToken)
    {
        var district = (await DistrictsAsync([application.MemberId], cancellationToken))[application.MemberId];
        await PostAsync(new JournalEntry(BeijingTime.Day(at), EntryKind.ReliefApproved, district, $"核准二次救助 {application.Number}",
            [Posting.Dr(Accounts.ReliefExpense, application.Amount), Posting.Cr(Accounts.PayableToMembers, application.Amount)], at), cancellationToken);
    }

    /// <summary>
    /// A partner's statement approved: the discounts' expense against what is owed to the institution,
    /// in the city pool (the programme is the city's, not a district's).
    /// </summary>
    public Task PartnerApprovedAsync(Partners.PartnerStatement statement, string partner, DateTime at, CancellationToken cancellationToken) =>
        PostAsync(new JournalEntry(BeijingTime.Day(at), EntryKind.PartnerApproved, null, $"核准优惠结算单 {statement.Number} {partner}",
            [Posting.Dr(Accounts.PartnerExpense, statement.Discount), Posting.Cr(Accounts.PayableToPartners, statement.Discount)], at), cancellationToken);

    /// <summary>A batch sent to the bank: what is owed (to members, or to partner institutions) moves to payments in transit.</summary>
    public Task SentAsync(PaymentBatch batch, DateTime at, CancellationToken cancellationToken) =>
        PaymentsAsync(batch.Payments, at, EntryKind.PaymentsSent, $"批次 {batch.Code} 送银行",
            (payable, total) => [Posting.Dr(payable, total), Posting.Cr(Accounts.InTransit, total)], cancellationToken);

    /// <summary>The bank's answers: paid ones leave the bank account, failed ones are owed again.</summary>
    public async Task ReturnedAsync(IReadOnlyCollection<Payment> paid, IReadOnlyCollection<Payment> failed, string memo, DateTime at, CancellationToken cancellationToken)
    {
        await PaymentsAsync(paid, at, EntryKind.PaymentsReturned, $"{memo} 支付成功",
            (_, total) => [Posting.Dr(Accounts.InTransit, total), Posting.Cr(Accounts.Bank, total)], cancellationToken);
        await PaymentsAsync(failed, at, EntryKind.PaymentsReturned, $"{memo} 支付失败退回",
            (payable, total) => [Posting.Dr(Accounts.InTransit, total), Posting.Cr(payable, total)], cancellationToken);
    }

    /// <summary>Each member's district (6-digit code) through their unit; null for members without a unit (the city pool).</summary>
    public async Task<Dictionary<long, string?>> DistrictsAsync(IReadOnlyCollection<long> memberIds, CancellationToken cancellationToken)
    {
        var rows = await (
                from member in db.Members
                where memberIds.Contains(member.Id)
                join unit in db.Units on member.UnitId equals unit.Id into units
                from unit in units.DefaultIfEmpty()
                join district in db.Districts on unit.DistrictId equals district.Id into districts
                from district in districts.DefaultIfEmpty()
                select new { member.Id, Code = district == null ? null : district.Code })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (string?)r.Code);
    }

    /// <summary>
    /// One entry per district for the claims, each plan's part from the claims' own lines (so the
    /// callers pass claims with their lines; a claim without them would leave the entry unbalanced,
    /// which the entry refuses).
    /// </summary>
    private async Task ByDistrictAsync(IReadOnlyCollection<Claim> claims, DateTime at, EntryKind kind, string what,
        Func<string, Money, Posting> perPlan, Func<Money, Posting> total, CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
            return;
        var districts = await DistrictsAsync([.. claims.Select(c => c.MemberId).Distinct()], cancellationToken);
        foreach (var group in claims.GroupBy(c => districts.GetValueOrDefault(c.MemberId)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var plans = group.SelectMany(c => c.Lines).Where(l => l.Amount > Money.Zero).GroupBy(l => l.PlanCode)
                .Select(g => perPlan(g.Key, Money.Sum(g.Select(l => l.Amount)))).ToList();
            var sum = Money.Sum(group.Select(c => c.Total));
            var memo = group.Count() == 1 ? $"{what} {group.First().Number}" : $"{what} {group.Count()} 件";
            await PostAsync(new JournalEntry(BeijingTime.Day(at), kind, group.Key, memo, [.. plans, total(sum)], at), cancellationToken);
        }
    }

    /// <summary>One entry per district of the payments (a partner's in the city pool), each payable account (members', partners') on its own lines.</summary>
    private async Task PaymentsAsync(IReadOnlyCollection<Payment> payments, DateTime at, EntryKind kind, string memo,
        Func<string, Money, Posting[]> postings, CancellationToken cancellationToken)
    {
        if (payments.Count == 0)
            return;
        var districts = await DistrictsAsync([.. payments.Where(p => p.MemberId is not null).Select(p => p.MemberId!.Value).Distinct()], cancellationToken);
        foreach (var group in payments.GroupBy(p => p.MemberId is { } member ? districts.GetValueOrDefault(member) : null).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var lines = group.GroupBy(p => p.StatementId is null ? Accounts.PayableToMembers : Accounts.PayableToPartners).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => postings(g.Key, Money.Sum(g.Select(p => p.Amount))));
            await PostAsync(new JournalEntry(BeijingTime.Day(at), kind, group.Key, memo, lines, at), cancellationToken);
        }
    }
}
