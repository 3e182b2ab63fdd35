using Microsoft.EntityFrameworkCore;
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
/// and approved claims less recoveries, each payer's income with their premiums.
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
        var lines = await db.JournalEntries.AsNoTracking().SelectMany(e => e.Lines).Where(l => l.Account == account)
            .Select(l => new { l.Debit, l.Credit }).ToListAsync(cancellationToken);
        return Money.Sum(lines.Select(l => l.Debit - l.Credit));
    }

    public async Task<LedgerCheckReport> HandleAsync(CancellationToken cancellationToken)
    {
        // The database sums the lines: one row an account, however many lines the books hold.
        var totals = await TotalsAsync(null, cancellationToken);
        var entries = await db.Database.SqlQueryRaw<long>("""SELECT COUNT(DISTINCT entry_id) AS "Value" FROM journal_lines""").SingleAsync(cancellationToken);
        var unbalanced = await db.Database.SqlQueryRaw<long>(
            """SELECT COUNT(*) AS "Value" FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING SUM(debit) <> SUM(credit)) AS unbalanced""").SingleAsync(cancellationToken);
        Money Balance(Func<string, bool> account) => new(totals.Where(t => account(t.Account)).Sum(t => t.Debit - t.Credit));

        var premiums = await db.PremiumPayments.AsNoTracking().Select(p => new { p.Payer, p.Amount }).ToListAsync(cancellationToken);
        var payments = await db.Payments.AsNoTracking().Join(db.PaymentBatches, p => p.BatchId, b => b.Id, (p, b) => new { p.State, p.Amount, Sent = b.State == BatchState.Exported || b.State == BatchState.Closed })
            .ToListAsync(cancellationToken);
        var approved = await db.Claims.AsNoTracking().Where(c => c.State == ClaimState.Approved).Select(c => c.Total).ToListAsync(cancellationToken);
        var recovered = await db.Recoveries.AsNoTracking().Select(r => new { r.ClaimId, r.Amount, r.State }).ToListAsync(cancellationToken);
        var recoveredIds = recovered.Select(r => r.ClaimId).ToHashSet();
        var expense = await db.ClaimLines.AsNoTracking().Where(l => l.Amount > Money.Zero)
            .Join(db.Claims.Where(c => c.State == ClaimState.Approved || c.State == ClaimState.Paid), l => l.ClaimId, c => c.Id, (l, c) => new { l.PlanCode, l.Amount, c.Id })
            .ToListAsync(cancellationToken);

        var opening = await db.JournalEntries.AsNoTracking().Where(e => e.Kind == EntryKind.OpeningBalance).SelectMany(e => e.Lines)
            .Where(l => l.Account == Accounts.Bank).Select(l => l.Debit).ToListAsync(cancellationToken);
        var inTransit = Money.Sum(payments.Where(p => p.Sent && p.State == PaymentState.Pending).Select(p => p.Amount));
        var figures = new List<CheckFigure>
        {
            Figure("银行存款 = 期初余额 + 收到的会费 − 已支付的互助金 + 收回的追回款", Balance(a => a == Accounts.Bank),
                Money.Sum(opening) + Money.Sum(premiums.Select(p => p.Amount)) - Money.Sum(payments.Where(p => p.State == PaymentState.Paid).Select(p => p.Amount))
                + Money.Sum(recovered.Where(r => r.State == RecoveryState.Recovered).Select(r => r.Amount))),
            Figure("在途发放款 = 已送银行未回盘的支付", Balance(a => a == Accounts.InTransit), -inTransit),
            Figure("应付会员互助金 = 已审批未送银行的理赔", Balance(a => a == Accounts.PayableToMembers), inTransit - Money.Sum(approved)),
            Figure("区县调剂款轧差为零", Balance(a => a is Accounts.DueFromPool or Accounts.DueToDistricts), Money.Zero),
            Figure("应收追回款 = 待追回", Balance(a => a == Accounts.RecoveriesReceivable),
                Money.Sum(recovered.Where(r => r.State == RecoveryState.Open).Select(r => r.Amount))),
        };
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        foreach (var payer in premiums.Select(p => p.Payer).Distinct().Order())
            figures.Add(Figure($"{Accounts.Name(Accounts.Income(payer))} = 该类缴费", Balance(a => a == Accounts.Income(payer)),
                -Money.Sum(premiums.Where(p => p.Payer == payer).Select(p => p.Amount))));
        foreach (var plan in expense.Select(e => e.PlanCode).Distinct().Order(StringComparer.Ordinal))
            figures.Add(Figure($"{Accounts.Name(Accounts.Expense(plan), names)} = 已审批和已支付的理赔 − 追回", Balance(a => a == Accounts.Expense(plan)),
                Money.Sum(expense.Where(e => e.PlanCode == plan && !recoveredIds.Contains(e.Id)).Select(e => e.Amount))));
        return new LedgerCheckReport((int)entries, (int)unbalanced, new Money(totals.Sum(t => t.Debit)).Yuan, new Money(totals.Sum(t => t.Credit)).Yuan, figures);
    }

    /// <summary>Each account's debits and credits in fen, summed by the database; one district's entries, or all.</summary>
    private Task<List<AccountTotal>> TotalsAsync(string? district, CancellationToken cancellationToken) =>
        (district is null
            ? db.Database.SqlQueryRaw<AccountTotal>(
                """SELECT account AS "Account", CAST(SUM(debit) AS BIGINT) AS "Debit", CAST(SUM(credit) AS BIGINT) AS "Credit" FROM journal_lines GROUP BY account""")
            : db.Database.SqlQueryRaw<AccountTotal>(
                """SELECT l.account AS "Account", CAST(SUM(l.debit) AS BIGINT) AS "Debit", CAST(SUM(l.credit) AS BIGINT) AS "Credit" FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.district = {0} GROUP BY l.account""",
                district))
        .ToListAsync(cancellationToken);

    private sealed class AccountTotal
    {
        public string Account { get; set; } = "";

        public long Debit { get; set; }

        public long Credit { get; set; }
    }

    private static CheckFigure Figure(string what, Money ledger, Money records) => new(what, ledger.Yuan, records.Yuan, ledger == records);

}
