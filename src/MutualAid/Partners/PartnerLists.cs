using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Partners;

/// <summary>A partner as its list shows it: the account cut to its last digits.</summary>
public sealed record PartnerRow(string Code, string Name, PartnerKind Kind, int RatePercent, Money VisitCap, Money YearCap, string? Plan, string Account, bool Active, string ChangedBy)
{
    public string KindName => Names.Of(Kind);
}

/// <summary>A statement as its list shows it.</summary>
public sealed record StatementRow(string Number, string Partner, string PartnerCode, DateOnly Month, int Rows, Money SelfPay, Money Discount,
    StatementState State, string ImportedBy, DateTime ImportedAt, string? CheckedBy, string? RefusalReason, string? PaidBy)
{
    public string StateName => Names.Of(State);
}

/// <summary>One partner's month in the report: its statement's visits and amounts.</summary>
public sealed record PartnerMonthRow(string Partner, string Code, DateOnly Month, string Number, StatementState State, int Visits, Money SelfPay, Money Discount)
{
    public string StateName => Names.Of(State);

    /// <summary>The discount paid to the institution, or zero while its payment waits.</summary>
    public Money Paid => State == StatementState.Paid ? Discount : Money.Zero;
}

/// <summary>One partner's year: visits, members given a discount, discounts and what was paid.</summary>
public sealed record PartnerTotalRow(string Partner, string Code, int Visits, int Members, Money Discount, Money Paid);

/// <summary>The year's partner-hospital discounts (医疗优惠补助统计), by partner and month and by partner.</summary>
public sealed record PartnerReportResult(int Year, IReadOnlyList<PartnerMonthRow> Months, IReadOnlyList<PartnerTotalRow> Partners)
{
    public Money Discount => Money.Sum(Partners.Select(p => p.Discount));

    public Money Paid => Money.Sum(Partners.Select(p => p.Paid));

    public int Visits => Partners.Sum(p => p.Visits);
}

/// <summary>Partners, their statements and the year's report, for the pages, the API and the CLI; partners are the city's, so every reader sees them all.</summary>
public sealed class PartnerLists(MutualAidDbContext db)
{
    /// <summary>The most a list shows at once, newest first: a city's few partners send a statement a month.</summary>
    public const int Limit = 2000;

    public async Task<IReadOnlyList<PartnerRow>> PartnersAsync(CancellationToken cancellationToken) =>
        [.. (await db.Partners.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken))
            .Select(p => new PartnerRow(p.Code, p.Name, p.Kind, p.RatePercent, p.VisitCap, p.YearCap, p.PlanCode,
                p.BankAccount is null ? "未登记" : Masks.Account(p.BankName, p.BankAccount), p.Active, p.ChangedBy))];

    public async Task<IReadOnlyList<StatementRow>> StatementsAsync(string? partnerCode, int? year, StatementState? state, CancellationToken cancellationToken)
    {
        var statements = db.PartnerStatements.AsNoTracking();
        if (partnerCode?.Trim().ToUpperInvariant() is { Length: > 0 } code)
            statements = statements.Where(s => db.Partners.Any(p => p.Id == s.PartnerId && p.Code == code));
        if (year is { } y)
        {
            var (first, last) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 1));
            statements = statements.Where(s => s.Month >= first && s.Month <= last);
        }
        if (state is { } st)
            statements = statements.Where(s => s.State == st);
        var rows = await (
                from s in statements
                join p in db.Partners on s.PartnerId equals p.Id
                orderby s.Id descending
                select new { s, p.Name, p.Code })
            .Take(Limit).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new StatementRow(r.s.Number, r.Name, r.Code, r.s.Month, r.s.Rows, r.s.SelfPay, r.s.Discount, r.s.State,
            r.s.ImportedBy, r.s.ImportedAt, r.s.CheckedBy, r.s.RefusalReason, r.s.PaidBy))];
    }

    /// <summary>The year's statements that are not refused, by partner and month, and each partner's totals; summed by the database.</summary>
    public async Task<PartnerReportResult> ReportAsync(int year, CancellationToken cancellationToken)
    {
        var (yearStart, yearEnd) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var months = await (
                from s in db.PartnerStatements.AsNoTracking()
                where s.Month >= yearStart && s.Month <= yearEnd && s.State != StatementState.Refused
                join p in db.Partners on s.PartnerId equals p.Id
                orderby p.Name, s.Month
                select new { p.Name, p.Code, s.Month, s.Id, s.State, s.Rows, s.SelfPay, s.Discount })
            .ToListAsync(cancellationToken);
        // Members given a discount in the year, by partner: a refused statement's rows are gone, so every row counts.
        var members = await db.PartnerDiscounts.AsNoTracking().Where(d => d.VisitDate >= yearStart && d.VisitDate <= yearEnd)
            .GroupBy(d => d.PartnerId).Select(g => new { g.Key, Count = g.Select(d => d.MemberId).Distinct().Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var codes = await db.Partners.AsNoTracking().ToDictionaryAsync(p => p.Code, p => p.Id, cancellationToken);
        var rows = months.Select(m => new PartnerMonthRow(m.Name, m.Code, m.Month, PartnerStatement.NumberOf(m.Month, m.Id), m.State, m.Rows, m.SelfPay, m.Discount)).ToList();
        var totals = rows.GroupBy(r => (r.Partner, r.Code))
            .Select(g => new PartnerTotalRow(g.Key.Partner, g.Key.Code, g.Sum(r => r.Visits), members.GetValueOrDefault(codes[g.Key.Code]),
                Money.Sum(g.Select(r => r.Discount)), Money.Sum(g.Select(r => r.Paid))))
            .ToList();
        return new PartnerReportResult(year, rows, totals);
    }
}
