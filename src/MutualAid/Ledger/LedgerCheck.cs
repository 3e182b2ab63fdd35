using Microsoft.EntityFrameworkCore;
using MutualAid.Archive;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Payments;

namespace MutualAid.Ledger;

/// <summary>An account's balance: debits less credits (assets and expenses positive, liabilities and income negative).</summary>
public sealed record AccountBalance(string Account, string Name, decimal Debits, decimal Credits, decimal Balance);

/// <summary>One figure of the books beside the same figure worked out from claims, payments and premiums.</summary>
public sealed record CheckFigure(string What, decimal Ledger, decimal Records, bool Agrees);

public sealed record LedgerCheckReport(int Entries, int Unbalanced, decimal Debits, decimal Credits, IReadOnlyList<CheckFigure> Figures)
{
    public bool Ok => Unbalanced == 0 && Debits == Credits && Figures.All(f => f.Agrees);
}

/// <summary>
/// <c>mutualaid ledger check</c> and <c>ledger balances</c>: proves the books. Every entry
/// balances, the whole balances, and each account agrees with the records it stands for: the bank
/// with premiums received less payments made, what is owed with approved claims not yet sent, the
/// money in transit with payments the bank has not answered, each plan's expense with its paid
/// and approved claims less recoveries, each payer's income with their premiums, second-round
/// relief and partners' discounts with their approved and paid records, what is owed to partners
/// with their approved statements not yet sent.
/// </summary>
public sealed class LedgerCheck(MutualAidDbContext db)
{
    public async Task<IReadOnlyList<AccountBalance>> BalancesAsync(string? district, CancellationToken cancellationToken)
    {
        var totals = await TotalsAsync(district, cancellationToken);
        var plans = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        return [.. totals.OrderBy(t => t.Account, StringComparer.Ordinal).Select(t =>
            new AccountBalance(t.Account, Accounts.Name(t.Account, plans), new Money(t.Debit).Yuan, new Money(t.Credit).Yuan, new Money(t.Debit - t.Credit).Yuan))];
    }

    /// <summary>One account's balance (debits less credits), reading that account's lines only.</summary>
    public async Task<Money> BalanceAsync(string account, CancellationToken cancellationToken)
    {
        return new Money(await db.JournalEntries.AsNoTracking().SelectMany(e => e.Lines).Where(l => l.Account == account)
            .SumAsync(l => Sql.Fen(l.Debit) - Sql.Fen(l.Credit), cancellationToken));
    }

    public async Task<LedgerCheckReport> HandleAsync(CancellationToken cancellationToken)
    {
        // The database sums the lines: one row an account, however many lines the books hold.
        var totals = await TotalsAsync(null, cancellationToken);
        var entries = await db.Database.SqlQueryRaw<long>("""SELECT COUNT(DISTINCT entry_id) AS "Value" FROM journal_lines""").SingleAsync(cancellationToken);
        var unbalanced = await db.Database.SqlQueryRaw<long>(
            """SELECT COUNT(*) AS "Value" FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING SUM(debit) <> SUM(credit)) AS unbalanced""").SingleAsync(cancellationToken);
        Money Balance(Func<string, bool> account) => new(totals.Where(t => account(t.Account)).Sum(t => t.Debit - t.Credit));

        // The records the books must agree with, each summed by the database in a few rows.
        var premiums = (await db.PremiumPayments.AsNoTracking().GroupBy(p => p.Payer).Select(g => new { g.Key, Fen = g.Sum(p => Sql.Fen(p.Amount)) })
            .ToListAsync(cancellationToken)).ToDictionary(p => p.Key, p => new Money(p.Fen));
        var payments = await db.Payments.AsNoTracking().Join(db.PaymentBatches, p => p.BatchId, b => b.Id,
                (p, b) => new { p.State, p.Amount, Sent = b.State == BatchState.Exported || b.State == BatchState.Closed, Partner = p.StatementId != null })
            .GroupBy(p => new { p.State, p.Sent, p.Partner }).Select(g => new { g.Key.State, g.Key.Sent, g.Key.Partner, Fen = g.Sum(p => Sql.Fen(p.Amount)) }).ToListAsync(cancellationToken);
        // Claims and recoveries of archived years (mutualaid archive) are read with the live ones: the books hold them all.
        await using var claims = await db.WithArchiveAsync(cancellationToken);
        var approved = new Money(await claims.Claims.Where(c => c.State == ClaimState.Approved).SumAsync(c => Sql.Fen(c.Total), cancellationToken));
        var recovered = (await claims.Recoveries.GroupBy(r => r.State).Select(g => new { g.Key, Fen = g.Sum(r => Sql.Fen(r.Amount)) })
            .ToListAsync(cancellationToken)).ToDictionary(r => r.Key, r => new Money(r.Fen));
        var recoveredClaims = claims.Recoveries.Select(r => r.ClaimId);
        var expense = (await claims.ClaimLines.Where(l => l.Amount > Money.Zero)
            .Join(claims.Claims.Where(c => c.State == ClaimState.Approved || c.State == ClaimState.Paid), l => l.ClaimId, c => c.Id, (l, c) => new { l.PlanCode, l.Amount, l.ClaimId })
            .GroupBy(l => l.PlanCode).Select(g => new { g.Key, Fen = g.Sum(l => recoveredClaims.Contains(l.ClaimId) ? 0 : Sql.Fen(l.Amount)) })
            .ToListAsync(cancellationToken)).ToDictionary(e => e.Key, e => new Money(e.Fen));

        var relief = (await db.ReliefApplications.AsNoTracking().Where(a => a.State == Relief.ReliefState.Approved || a.State == Relief.ReliefState.Paid)
            .GroupBy(a => a.State).Select(g => new { g.Key, Fen = g.Sum(a => Sql.Fen(a.Amount)) }).ToListAsync(cancellationToken))
            .ToDictionary(r => r.Key, r => new Money(r.Fen));
        var reliefApproved = relief.GetValueOrDefault(Relief.ReliefState.Approved);
        var statements = (await db.PartnerStatements.AsNoTracking().Where(s => s.State == Partners.StatementState.Approved || s.State == Partners.StatementState.Paid)
            .GroupBy(s => s.State).Select(g => new { g.Key, Fen = g.Sum(s => Sql.Fen(s.Discount)) }).ToListAsync(cancellationToken))
            .ToDictionary(s => s.Key, s => new Money(s.Fen));
        var statementsApproved = statements.GetValueOrDefault(Partners.StatementState.Approved);

        var opening = new Money(await db.JournalEntries.AsNoTracking().Where(e => e.Kind == EntryKind.OpeningBalance).SelectMany(e => e.Lines)
            .Where(l => l.Account == Accounts.Bank).SumAsync(l => Sql.Fen(l.Debit), cancellationToken));
        var inTransit = new Money(payments.Where(p => p.Sent && p.State == PaymentState.Pending).Sum(p => p.Fen));
        var partnersInTransit = new Money(payments.Where(p => p.Sent && p.State == PaymentState.Pending && p.Partner).Sum(p => p.Fen));
        var figures = new List<CheckFigure>
        {
            Figure("银行存款 = 期初余额 + 收到的会费 − 已支付的互助金 + 收回的追回款", Balance(a => a == Accounts.Bank),
                opening + Money.Sum(premiums.Values) - new Money(payments.Where(p => p.State == PaymentState.Paid).Sum(p => p.Fen))
                + recovered.GetValueOrDefault(RecoveryState.Recovered)),
            Figure("在途发放款 = 已送银行未回盘的支付", Balance(a => a == Accounts.InTransit), -inTransit),
            Figure("应付会员互助金 = 已审批未送银行的理赔和二次救助", Balance(a => a == Accounts.PayableToMembers), inTransit - partnersInTransit - approved - reliefApproved),
            Figure("区县调剂款轧差为零", Balance(a => a is Accounts.DueFromPool or Accounts.DueToDistricts), Money.Zero),
            Figure("应收追回款 = 待追回", Balance(a => a == Accounts.RecoveriesReceivable), recovered.GetValueOrDefault(RecoveryState.Open)),
        };
        if (relief.Count > 0 || totals.Any(t => t.Account == Accounts.ReliefExpense))
            figures.Add(Figure("二次救助支出 = 已核准和已发放的救助", Balance(a => a == Accounts.ReliefExpense), reliefApproved + relief.GetValueOrDefault(Relief.ReliefState.Paid)));
        if (statements.Count > 0 || totals.Any(t => t.Account is Accounts.PartnerExpense or Accounts.PayableToPartners))
        {
            figures.Add(Figure("医疗优惠补助支出 = 已核准和已付款的合作机构结算单", Balance(a => a == Accounts.PartnerExpense),
                statementsApproved + statements.GetValueOrDefault(Partners.StatementState.Paid)));
            figures.Add(Figure("应付合作医疗机构 = 已核准未送银行的结算单", Balance(a => a == Accounts.PayableToPartners), partnersInTransit - statementsApproved));
        }
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        foreach (var (payer, amount) in premiums.OrderBy(p => p.Key))
            figures.Add(Figure($"{Accounts.Name(Accounts.Income(payer))} = 该类缴费", Balance(a => a == Accounts.Income(payer)), -amount));
        foreach (var (plan, amount) in expense.OrderBy(e => e.Key, StringComparer.Ordinal))
            figures.Add(Figure($"{Accounts.Name(Accounts.Expense(plan), names)} = 已审批和已支付的理赔 − 追回", Balance(a => a == Accounts.Expense(plan)), amount));
        return new LedgerCheckReport((int)entries, (int)unbalanced, new Money(totals.Sum(t => t.Debit)).Yuan, new Money(totals.Sum(t => t.Credit)).Yuan, figures);
    }

    /// <summary>Each account's debits and credits in fen, summed by the database (as the reports sum them); one district's entries, or all.</summary>
    private async Task<List<AccountTotal>> TotalsAsync(string? district, CancellationToken cancellationToken)
    {
        var entries = db.JournalEntries.AsNoTracking();
        if (district is not null)
            entries = entries.Where(e => e.District == district);
        return await entries.SelectMany(e => e.Lines).GroupBy(l => l.Account)
            .Select(g => new AccountTotal { Account = g.Key, Debit = g.Sum(l => Sql.Fen(l.Debit)), Credit = g.Sum(l => Sql.Fen(l.Credit)) })
            .ToListAsync(cancellationToken);
    }

    private sealed class AccountTotal
    {
        public string Account { get; set; } = "";

        public long Debit { get; set; }

        public long Credit { get; set; }
    }

    private static CheckFigure Figure(string what, Money ledger, Money records) => new(what, ledger.Yuan, records.Yuan, ledger == records);

}
