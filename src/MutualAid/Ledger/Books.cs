using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid.Ledger;

/// <summary>
/// The fund's books: each business event posts its balanced entry into the caller's unit of
/// work, saved in the same transaction as the event. An entry dated in a closed month is refused,
/// and with it the event.
/// </summary>
public sealed class Books(MutualAidDbContext db)
{
    private HashSet<(int Year, int Month)>? _closed;

    /// <summary>The business day of a moment: the date in Beijing.</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    public async Task PostAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        _closed ??= [.. (await db.ClosedPeriods.AsNoTracking().Select(p => new { p.Year, p.Month }).ToListAsync(cancellationToken)).Select(p => (p.Year, p.Month))];
        if (_closed.Contains((entry.Date.Year, entry.Date.Month)))
            throw new InvalidInputException([new Problem("账期", $"{entry.Date:yyyy-MM} 已结账，不能再记账（{entry.Memo}）")]);
        db.JournalEntries.Add(entry);
    }

    /// <summary>结账: closes a month; entries dated in it are refused from now on.</summary>
    public async Task CloseAsync(int year, int month, string by, DateTime at, CancellationToken cancellationToken)
    {
        if (month is < 1 or > 12 || string.IsNullOrWhiteSpace(by))
            throw new InvalidInputException([new Problem("账期", "应为 YYYY-MM，并写明结账人")]);
        if (await db.ClosedPeriods.AnyAsync(p => p.Year == year && p.Month == month, cancellationToken))
            return;
        if (new DateOnly(year, month, 1).AddMonths(1) > Day(at))
            throw new InvalidInputException([new Problem("账期", $"{year}-{month:D2} 尚未结束，不能结账")]);
        db.ClosedPeriods.Add(new ClosedPeriod(year, month, by, at));
        await db.SaveChangesAsync(cancellationToken);
        _closed = null;
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

    /// <summary>A batch sent to the bank: what is owed moves to payments in transit.</summary>
    public Task SentAsync(PaymentBatch batch, DateTime at, CancellationToken cancellationToken) =>
        PaymentsAsync(batch.Payments, at, EntryKind.PaymentsSent, $"批次 {batch.Code} 送银行",
            total => [Posting.Dr(Accounts.PayableToMembers, total), Posting.Cr(Accounts.InTransit, total)], cancellationToken);

    /// <summary>The bank's answers: paid ones leave the bank account, failed ones are owed again.</summary>
    public async Task ReturnedAsync(IReadOnlyCollection<Payment> paid, IReadOnlyCollection<Payment> failed, string memo, DateTime at, CancellationToken cancellationToken)
    {
        await PaymentsAsync(paid, at, EntryKind.PaymentsReturned, $"{memo} 支付成功",
            total => [Posting.Dr(Accounts.InTransit, total), Posting.Cr(Accounts.Bank, total)], cancellationToken);
        await PaymentsAsync(failed, at, EntryKind.PaymentsReturned, $"{memo} 支付失败退回",
            total => [Posting.Dr(Accounts.InTransit, total), Posting.Cr(Accounts.PayableToMembers, total)], cancellationToken);
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
            await PostAsync(new JournalEntry(Day(at), kind, group.Key, memo, [.. plans, total(sum)], at), cancellationToken);
        }
    }

    private async Task PaymentsAsync(IReadOnlyCollection<Payment> payments, DateTime at, EntryKind kind, string memo,
        Func<Money, Posting[]> postings, CancellationToken cancellationToken)
    {
        if (payments.Count == 0)
            return;
        var districts = await DistrictsAsync([.. payments.Select(p => p.MemberId).Distinct()], cancellationToken);
        foreach (var group in payments.GroupBy(p => districts.GetValueOrDefault(p.MemberId)).OrderBy(g => g.Key, StringComparer.Ordinal))
            await PostAsync(new JournalEntry(Day(at), kind, group.Key, memo, postings(Money.Sum(group.Select(p => p.Amount))), at), cancellationToken);
    }
}
