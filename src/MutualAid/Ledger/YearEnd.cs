using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Ledger;

/// <summary>A district's year: its own income and expenditure, and who bears a deficit.</summary>
public sealed record DistrictResult(string District, string Name, decimal Income, decimal Expenditure, decimal Result, decimal PoolBears, decimal DistrictBears);

public sealed record YearEndReport(int Year, decimal PoolShare, bool Posted, IReadOnlyList<DistrictResult> Districts);

/// <summary>
/// 风险共担 at year end: each district's sub-ledger keeps its premiums and payouts; a district
/// that paid out more than it took in has its deficit shared, the city pool bearing the scheme's
/// <c>pooling.poolShare</c> and the district the rest. The pool's share is posted as two
/// balanced entries dated 31 December: the pool's transfer out and the district's transfer in,
/// through internal accounts that net to zero. Posted once a year, before December is closed;
/// run again it only reports. Two runs at once post once: the check and the posting share one
/// transaction that holds the districts' rows (PostgreSQL) or the database's write lock (SQLite).
/// </summary>
public sealed class YearEnd(MutualAidDbContext db, TimeProvider clock)
{
    public Task<YearEndReport> ShareDeficitsAsync(int year, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => ShareDeficitsAttemptAsync(year, actor, ct), cancellationToken);

    private async Task<YearEndReport> ShareDeficitsAttemptAsync(int year, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(actor.User))
            throw new InvalidInputException([new Problem("经办人", "须写明经办人")]);
        if (year is < 2000 or > 9998)
            throw new InvalidInputException([new Problem("年度", $"“{year}”不是有效的年度")]);
        if (db.Database.IsNpgsql())
            await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM districts ORDER BY id FOR UPDATE").ToListAsync(cancellationToken);
        var documents = await db.Schemes.AsNoTracking().Select(s => s.Document).ToListAsync(cancellationToken);
        var share = documents.Select(d => SchemeReader.Parse(d).PoolShare).FirstOrDefault(s => s is not null)
            ?? throw new InvalidInputException([new Problem("方案", "方案未规定统筹分担比例（pooling.poolShare）")]);
        var end = new DateOnly(year, 12, 31);
        var lines = await LedgerLine.Of(db.JournalEntries.Where(e => e.Date >= new DateOnly(year, 1, 1) && e.Date <= end && e.District != null))
            .ToListAsync(cancellationToken);
        var names = await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, cancellationToken);

        // A district's own year: the pooling transfers are what is being worked out, not part of it.
        var results = lines.Where(l => !Accounts.IsPooling(l.Account))
            .GroupBy(l => l.District!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var income = Money.Sum(g.Where(l => Accounts.IsIncome(l.Account)).Select(l => l.Credit - l.Debit));
                var expense = Money.Sum(g.Where(l => Accounts.IsExpense(l.Account)).Select(l => l.Debit - l.Credit));
                var result = income - expense;
                var pool = result.IsNegative ? Money.RoundYuan(-result.Yuan * share) : Money.Zero;
                return (Code: g.Key, Income: income, Expense: expense, Result: result, Pool: pool);
            }).ToList();

        var posted = await db.JournalEntries.AnyAsync(e => e.Kind == EntryKind.PoolingShare && e.Date == end, cancellationToken);
        // Its date is the year's last day, never moved: it is posted before December closes.
        if (!posted && results.Any(r => r.Pool > Money.Zero)
            && await db.ClosedPeriods.AnyAsync(p => p.Year > year || (p.Year == year && p.Month == 12), cancellationToken))
            throw new InvalidInputException([new Problem("账期", $"{year}-12 已结账，年终统筹分担记在 {year}-12-31，须在 12 月结账前记账；如需补记，须先依次反结账至 {year}-12")]);
        if (!posted)
        {
            var books = new Books(db);
            var now = clock.Now();
            foreach (var r in results.Where(r => r.Pool > Money.Zero))
            {
                var memo = $"{year} 年 {names.GetValueOrDefault(r.Code, r.Code)} 赤字统筹分担（{actor.User}）";
                await books.PostAsync(new JournalEntry(end, EntryKind.PoolingShare, null, memo,
                    [Posting.Dr(Accounts.PoolingOut, r.Pool), Posting.Cr(Accounts.DueToDistricts, r.Pool)], now), cancellationToken);
                await books.PostAsync(new JournalEntry(end, EntryKind.PoolingShare, r.Code, memo,
                    [Posting.Dr(Accounts.DueFromPool, r.Pool), Posting.Cr(Accounts.PoolingIn, r.Pool)], now), cancellationToken);
            }
            if (results.Any(r => r.Pool > Money.Zero))
                db.Audit(actor, now, "年终统筹分担", $"{year} 年", $"市级统筹分担赤字的 {share:P0}，{results.Count(r => r.Pool > Money.Zero)} 个区县");
            await db.SaveChangesAsync(cancellationToken);
        }
        return new YearEndReport(year, share, !posted, [.. results.Select(r => new DistrictResult(r.Code, names.GetValueOrDefault(r.Code, r.Code),
            r.Income.Yuan, r.Expense.Yuan, r.Result.Yuan, r.Pool.Yuan, r.Result.IsNegative ? (-r.Result - r.Pool).Yuan : 0m))]);
    }
}
