using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Archive;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Ledger;

namespace MutualAid.Reports;

/// <summary>收支 of one district (or the city pool, district null) in a year, from the books.</summary>
public sealed record IncomeExpenditureRow(string District, string Account, string Name, decimal Income, decimal Expenditure);

/// <summary>预决算 of one plan: the budget the council approved beside what happened.</summary>
public sealed record BudgetRow(string Plan, decimal BudgetIncome, decimal ActualIncome, decimal BudgetExpenditure, decimal ActualExpenditure, decimal? ExpenditureRate)
{
    /// <summary>The plan by the scheme's name, for pages and exports.</summary>
    public string PlanName { get; init; } = Plan;
}

/// <summary>The reserve (互助金结余) at a day's end and its ratio to the payouts of the year before it.</summary>
public sealed record ReserveReport(DateOnly On, decimal Reserve, decimal YearPayouts, decimal? Ratio);

/// <summary>赔付率 of one plan for the periods starting in a year: what it paid against the premiums it earned.</summary>
public sealed record LossRatioRow(string Plan, int Periods, decimal Premiums, decimal Payouts, decimal? LossRatio)
{
    /// <summary>The plan by the scheme's name, for pages and exports.</summary>
    public string PlanName { get; init; } = Plan;
}

/// <summary>以支定收 for one plan: the premium per unit that would have balanced the years looked at with the margin, beside today's.</summary>
public sealed record AdequacyRow(string Plan, int Years, int UnitYears, decimal Payouts, decimal CurrentPremium, decimal BalancingPremium, decimal? Change)
{
    /// <summary>The plan by the scheme's name, for pages and exports.</summary>
    public string PlanName { get; init; } = Plan;
}

/// <summary>A plan's budget for a year (预算), as the council approved it.</summary>
public sealed class PlanBudget
{
    private PlanBudget()
    {
    }

    public PlanBudget(int year, string planCode, Money income, Money expenditure)
    {
        Year = year;
        PlanCode = planCode;
        Set(income, expenditure);
    }

    public long Id { get; private set; }

    public int Year { get; private set; }

    public string PlanCode { get; private set; } = "";

    public Money Income { get; private set; }

    public Money Expenditure { get; private set; }

    public void Set(Money income, Money expenditure)
    {
        if (income.IsNegative || expenditure.IsNegative)
            throw new ArgumentException("预算金额不能为负数");
        (Income, Expenditure) = (income, expenditure);
    }
}

internal sealed class PlanBudgetConfiguration : IEntityTypeConfiguration<PlanBudget>
{
    public void Configure(EntityTypeBuilder<PlanBudget> builder)
    {
        builder.ToTable("plan_budgets");
        builder.Property(b => b.PlanCode).HasMaxLength(50);
        builder.HasIndex(b => new { b.Year, b.PlanCode }).IsUnique();
    }
}

/// <summary>
/// The council's reports (income and expenditure, budget against actual, the reserve, loss
/// ratios, premium adequacy), each from the books or from the enrollments and claims the books
/// agree with (<c>ledger check</c>). Income in the books is kept by payer, so a plan's income is
/// the premiums of its paid periods starting in the year; its expenditure is its expense account.
/// </summary>
public sealed class FundReports(MutualAidDbContext db)
{
    public async Task<IReadOnlyList<IncomeExpenditureRow>> IncomeExpenditureAsync(int year, CancellationToken cancellationToken)
    {
        var totals = await TotalsAsync(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), cancellationToken);
        var plans = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        var districts = await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.Code, d => d.Name, cancellationToken);
        return [.. totals.Where(t => Accounts.IsIncome(t.Account) || Accounts.IsExpense(t.Account))
            .OrderBy(t => t.District, StringComparer.Ordinal).ThenBy(t => t.Account, StringComparer.Ordinal)
            .Select(t => new IncomeExpenditureRow(t.District.Length == 0 ? "市级统筹" : districts.GetValueOrDefault(t.District, t.District), t.Account, Accounts.Name(t.Account, plans),
                Accounts.IsIncome(t.Account) ? t.Net.Yuan : 0m, Accounts.IsExpense(t.Account) ? -t.Net.Yuan : 0m))];
    }

    public async Task<IReadOnlyList<BudgetRow>> BudgetAsync(int year, CancellationToken cancellationToken)
    {
        var budgets = await db.PlanBudgets.AsNoTracking().Where(b => b.Year == year).ToListAsync(cancellationToken);
        var income = await PremiumsByPlanAsync(year, year, cancellationToken);
        var expense = await ExpenseByPlanAsync(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), cancellationToken);
        var plans = budgets.Select(b => b.PlanCode).Concat(income.Keys).Concat(expense.Keys).Distinct().Order(StringComparer.Ordinal);
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        return [.. plans.Select(plan =>
        {
            var budget = budgets.SingleOrDefault(b => b.PlanCode == plan);
            var spent = expense.GetValueOrDefault(plan);
            return new BudgetRow(plan, (budget?.Income ?? Money.Zero).Yuan, income.GetValueOrDefault(plan).Premiums.Yuan,
                (budget?.Expenditure ?? Money.Zero).Yuan, spent.Yuan, Rate(spent, budget?.Expenditure ?? Money.Zero)) { PlanName = names.Plan(plan) };
        })];
    }

    /// <summary>The fund's net assets on the day (the balance brought forward, and income less expenditure to date) against its payouts in the year up to it.</summary>
    public async Task<ReserveReport> ReserveAsync(DateOnly on, CancellationToken cancellationToken)
    {
        var totals = await TotalsAsync(DateOnly.MinValue, on, cancellationToken);
        var reserve = Money.Sum(totals.Where(t => t.Account == Accounts.Reserve || Accounts.IsIncome(t.Account) || Accounts.IsExpense(t.Account)).Select(t => t.Net));
        var payouts = Money.Sum((await ExpenseByPlanAsync(on.AddYears(-1).AddDays(1), on, cancellationToken)).Values);
        return new ReserveReport(on, reserve.Yuan, payouts.Yuan, payouts.IsZero ? null : Math.Round(reserve.Yuan / payouts.Yuan, 4));
    }

    /// <summary>Per plan, the periods starting in the year: their premiums against what their claims were approved or paid.</summary>
    public async Task<IReadOnlyList<LossRatioRow>> LossRatiosAsync(int year, CancellationToken cancellationToken)
    {
        var premiums = await PremiumsByPlanAsync(year, year, cancellationToken);
        var payouts = await PayoutsByPlanAsync(year, year, cancellationToken);
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        return [.. premiums.Keys.Concat(payouts.Keys).Distinct().Order(StringComparer.Ordinal).Select(plan =>
        {
            var (periods, _, earned) = premiums.GetValueOrDefault(plan);
            var paid = payouts.GetValueOrDefault(plan);
            return new LossRatioRow(plan, periods, earned.Yuan, paid.Yuan, Rate(paid, earned)) { PlanName = names.Plan(plan) };
        })];
    }

    /// <summary>
    /// 以支定收: per plan, over the periods starting in the <paramref name="years"/> years up to
    /// <paramref name="lastYear"/>, payouts ÷ unit-years × (1 + margin), rounded to the fen; and
    /// how far that is from the premium of the plan's latest version.
    /// </summary>
    public async Task<IReadOnlyList<AdequacyRow>> AdequacyAsync(int lastYear, int years, decimal margin, CancellationToken cancellationToken)
    {
        if (years < 1 || margin is < 0 or > 1)
            throw new InvalidInputException([new Problem("参数", "年数至少为 1，目标结余率应在 0 到 1 之间")]);
        var units = (await PremiumsByPlanAsync(lastYear - years + 1, lastYear, cancellationToken)).ToDictionary(p => p.Key, p => p.Value.Units, StringComparer.Ordinal);
        var payouts = await PayoutsByPlanAsync(lastYear - years + 1, lastYear, cancellationToken);
        var premiums = await db.PlanVersions.AsNoTracking().GroupBy(v => v.PlanCode)
            .Select(g => g.OrderByDescending(v => v.EffectiveFrom).First()).ToListAsync(cancellationToken);
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        return [.. units.Keys.Order(StringComparer.Ordinal).Select(plan =>
        {
            var current = premiums.SingleOrDefault(p => p.PlanCode == plan)?.Premium ?? Money.Zero;
            var paid = payouts.GetValueOrDefault(plan);
            var balancing = units[plan] == 0 ? Money.Zero : Money.RoundYuan(paid.Yuan / units[plan] * (1 + margin));
            return new AdequacyRow(plan, years, units[plan], paid.Yuan, current.Yuan, balancing.Yuan,
                current.IsZero ? null : Math.Round((balancing - current).Yuan / current.Yuan, 4)) { PlanName = names.Plan(plan) };
        })];
    }

    /// <summary>
    /// 设定预算 of a plan for a year, with its audit line. Set again, the later figures stand; two
    /// set at the same moment leave one budget (the unique year and plan), the later figures.
    /// </summary>
    public async Task SetBudgetAsync(int year, string plan, Money income, Money expenditure, Actor actor, DateTime at, CancellationToken cancellationToken)
    {
        if (year is < 2000 or > 9999)
            throw new InvalidInputException([new Problem("年度", $"“{year}”不是有效的年度")]);
        if (!await db.PlanVersions.AnyAsync(v => v.PlanCode == plan, cancellationToken))
            throw new InvalidInputException([new Problem("计划", $"没有计划 {plan}")]);
        if (income.IsNegative || expenditure.IsNegative)
            throw new InvalidInputException([new Problem("预算", "预算金额不能为负数")]);
        for (var attempt = 0; ; attempt++)
        {
            if (await db.PlanBudgets.SingleOrDefaultAsync(b => b.Year == year && b.PlanCode == plan, cancellationToken) is { } known)
                known.Set(income, expenditure);
            else
                db.PlanBudgets.Add(new PlanBudget(year, plan, income, expenditure));
            db.Audit(actor, at, "设定预算", $"{year} 年 {plan}", $"预算收入 {income.ToDisplayString()} 元，预算支出 {expenditure.ToDisplayString()} 元");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another person added the same budget first: theirs is on file now, so it is updated.
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is PlanBudget or AuditEntry).ToList())
                    entry.State = EntityState.Detached;
            }
        }
    }

    private static decimal? Rate(Money part, Money whole) => whole.IsZero ? null : Math.Round(part.Yuan / whole.Yuan, 4);

    /// <summary>One account of one district over the days: its credits less its debits, summed by the database.</summary>
    private sealed record AccountNet(string District, string Account, Money Net);

    private async Task<List<AccountNet>> TotalsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        [.. (await db.JournalEntries.AsNoTracking().Where(e => e.Date >= from && e.Date <= to)
            .SelectMany(e => e.Lines, (e, l) => new { e.District, l.Account, l.Debit, l.Credit })
            .GroupBy(l => new { l.District, l.Account })
            .Select(g => new { g.Key.District, g.Key.Account, Net = g.Sum(l => Sql.Fen(l.Credit)) - g.Sum(l => Sql.Fen(l.Debit)) })
            .ToListAsync(cancellationToken))
            .Select(t => new AccountNet(t.District ?? "", t.Account, new Money(t.Net)))];

    /// <summary>Each plan's expense account, net, over the days.</summary>
    private async Task<Dictionary<string, Money>> ExpenseByPlanAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await TotalsAsync(from, to, cancellationToken)).Where(t => Accounts.IsExpense(t.Account))
            .GroupBy(t => Accounts.PlanOf(t.Account)).ToDictionary(g => g.Key, g => -Money.Sum(g.Select(t => t.Net)));

    /// <summary>The paid periods of each plan starting in the years: how many, their unit-years, their premiums.</summary>
    private async Task<Dictionary<string, (int Periods, int Units, Money Premiums)>> PremiumsByPlanAsync(int firstYear, int lastYear, CancellationToken cancellationToken)
    {
        var (from, to) = (new DateOnly(firstYear, 1, 1), new DateOnly(lastYear, 12, 31));
        var periods = await db.Enrollments.AsNoTracking().Where(e => e.Status == EnrollmentStatus.Active && e.Start >= from && e.Start <= to)
            .GroupBy(e => e.PlanCode).Select(g => new
            {
                g.Key,
                Count = g.Count(),
                // Unit-years: a period of several years (periodYears) counts each of its years, as its premium does. A period
                // shorter than a year (nearly all) is one: its years are worked out only for the few longer ones (on SQLite each
                // date part is a strftime call, and the whole of it over a million periods was 0.9 s of the report's time).
                Units = g.Sum(e => e.Units) + g.Sum(e => e.End >= e.Start.AddYears(1)
                    ? e.Units * (e.End.Year - e.Start.Year - 1 + (e.End.Month * 100 + e.End.Day >= e.Start.Month * 100 + e.Start.Day ? 1 : 0))
                    : 0),
                Fen = g.Sum(e => Sql.Fen(e.Premium)),
            })
            .ToListAsync(cancellationToken);
        return periods.ToDictionary(p => p.Key, p => (p.Count, p.Units, new Money(p.Fen)));
    }

    /// <summary>
    /// What each plan's approved and paid claims pay for periods starting in the years (less recoveries); a plan covering
    /// all members (no enrolment) counts the claims whose events fall in the years, its periods being calendar years.
    /// </summary>
    private async Task<Dictionary<string, Money>> PayoutsByPlanAsync(int firstYear, int lastYear, CancellationToken cancellationToken)
    {
        var (from, to) = (new DateOnly(firstYear, 1, 1), new DateOnly(lastYear, 12, 31));
        var payouts = await PayoutsByPlanAsync(db, from, to, cancellationToken);
        if (!await db.HasArchivedClaimsAsync(cancellationToken))
            return payouts;
        // A claim is archived with all its rows (mutualaid archive), so the live tables and the archive are summed apart and
        // added: PostgreSQL plans each far better than the views of both (the city's adequacy report: 0.8 s, not 2.6).
        await using var archive = db.ArchivedOnly();
        return Add(payouts, await PayoutsByPlanAsync(archive, from, to, cancellationToken));
    }

    private static async Task<Dictionary<string, Money>> PayoutsByPlanAsync(MutualAidDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var recovered = db.Recoveries.Select(r => r.ClaimId);
        var payable = db.ClaimLines.AsNoTracking().Where(l => l.Amount > Money.Zero && !recovered.Contains(l.ClaimId));
        var claims = db.Claims.Where(c => c.State == Claims.ClaimState.Approved || c.State == Claims.ClaimState.Paid);
        var enrolled = payable.Join(claims, l => l.ClaimId, c => c.Id, (l, _) => l)
            .Join(db.Enrollments.Where(e => e.Start >= from && e.Start <= to), l => l.EnrollmentId, e => e.Id, (l, _) => new PlanAmount { PlanCode = l.PlanCode, Amount = l.Amount });
        var payouts = await SumByPlanAsync(enrolled, cancellationToken);
        // Lines of a plan covering all members are looked for only where there are some: SQLite would otherwise walk every
        // claim of the years for them (0.4 s on a city of a million).
        if (!await db.ClaimLines.AnyAsync(l => l.CoverVersionId != null, cancellationToken))
            return payouts;
        var covered = payable.Where(l => l.CoverVersionId != null)
            .Join(claims.Where(c => c.EventDate >= from && c.EventDate <= to), l => l.ClaimId, c => c.Id, (l, _) => new PlanAmount { PlanCode = l.PlanCode, Amount = l.Amount });
        return Add(payouts, await SumByPlanAsync(covered, cancellationToken));
    }

    /// <summary>A line's plan and amount, as summed (initialised, not constructed, so the query can group by it).</summary>
    private sealed class PlanAmount
    {
        public required string PlanCode { get; init; }

        public required Money Amount { get; init; }
    }

    private static Dictionary<string, Money> Add(Dictionary<string, Money> payouts, Dictionary<string, Money> more)
    {
        foreach (var (plan, amount) in more)
            payouts[plan] = payouts.GetValueOrDefault(plan) + amount;
        return payouts;
    }

    private static async Task<Dictionary<string, Money>> SumByPlanAsync(IQueryable<PlanAmount> lines, CancellationToken cancellationToken) =>
        await lines.GroupBy(l => l.PlanCode).Select(g => new { g.Key, Fen = g.Sum(l => Sql.Fen(l.Amount)) })
            .ToDictionaryAsync(l => l.Key, l => new Money(l.Fen), cancellationToken);
}
