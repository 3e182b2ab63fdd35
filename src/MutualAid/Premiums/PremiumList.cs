using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Premiums;

/// <summary>
/// What finance narrows the premiums received to. <see cref="Search"/> is a receipt number, part of a
/// bank serial number (流水号), of a payer's name, ID number, mobile number or unit; <see cref="Unit"/>
/// a unit's code or part of its name; <see cref="From"/> and <see cref="To"/> the days the money came in.
/// </summary>
public sealed record PremiumFilter(
    string? Search = null, Payer? Payer = null, string? District = null, string? Unit = null, DateOnly? PeriodStart = null,
    DateOnly? From = null, DateOnly? To = null, Money? Min = null, Money? Max = null);

/// <summary>A premium received as lists show it: with its unit or member and their district (properties, so the database orders by any).</summary>
public sealed record PremiumRow
{
    public long Id { get; init; }
    public Payer Payer { get; init; }
    public DateOnly PaidOn { get; init; }
    public DateOnly PeriodStart { get; init; }
    public Money Amount { get; init; }
    public string Reference { get; init; } = "";
    public string? UnitCode { get; init; }
    public string? Unit { get; init; }
    public long? MemberId { get; init; }
    public string? MemberName { get; init; }
    public string? IdNumber { get; init; }
    public string? District { get; init; }

    public string ReceiptNumber => PremiumPayment.ReceiptNumberOf(PaidOn, Id);
}

/// <summary>
/// The premiums received (会费到账), for the page and its Excel export: scope, filter, order and paging in the
/// database. A unit's payment belongs to the unit's district; a member's to their unit's; the union's,
/// the government's and donors' are city-wide, seen only by city-wide staff.
/// </summary>
public static class PremiumList
{
    public static readonly Sorting<PremiumRow> Sorting = new("date", true,
        ("id", r => r.Id), ("date", r => r.PaidOn), ("amount", r => r.Amount), ("period", r => r.PeriodStart), ("payer", r => r.Payer));

    public static IQueryable<PremiumRow> Query(MutualAidDbContext db, UserScope scope, PremiumFilter filter)
    {
        var payments = db.PremiumPayments.AsQueryable();
        if (scope.MemberId is { } member)
            payments = payments.Where(p => p.MemberId == member);
        else if (scope.UnitId is { } unit)
            payments = payments.Where(p => p.UnitId == unit || db.Members.Any(m => m.Id == p.MemberId && m.UnitId == unit));
        else if (scope.DistrictId is { } district)
            payments = payments.Where(p => db.Units.Any(u => u.DistrictId == district
                && (u.Id == p.UnitId || db.Members.Any(m => m.Id == p.MemberId && m.UnitId == u.Id))));
        if (filter.Payer is { } payer)
            payments = payments.Where(p => p.Payer == payer);
        if (filter.PeriodStart is { } start)
            payments = payments.Where(p => p.PeriodStart == start);
        if (filter.From is { } from)
            payments = payments.Where(p => p.PaidOn >= from);
        if (filter.To is { } to)
            payments = payments.Where(p => p.PaidOn <= to);
        if (filter.Min is { } min)
            payments = payments.Where(p => p.Amount >= min);
        if (filter.Max is { } max)
            payments = payments.Where(p => p.Amount <= max);
        var rows =
            from p in payments
            from m in db.Members.Where(m => m.Id == p.MemberId).DefaultIfEmpty()
            // A member's payment belongs to the member's unit, if any (a left join on the key, which SQLite can run).
            join unit in db.Units on p.UnitId ?? (m == null ? null : m.UnitId) equals (long?)unit.Id into units
            from u in units.DefaultIfEmpty()
            from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
            select new { p, m, u, d };
        if (filter.Unit?.Trim() is { Length: > 0 } unitText)
        {
            var code = unitText.ToUpperInvariant();
            rows = rows.Where(x => x.u != null && (x.u.Code == code || x.u.Name.Contains(unitText)));
        }
        if (!string.IsNullOrWhiteSpace(filter.District))
            rows = rows.Where(x => x.d != null && x.d.Code == filter.District);
        if (filter.Search?.Trim() is { Length: > 0 } q)
        {
            var upper = q.ToUpperInvariant();
            var receipt = PremiumPayment.IdOf(upper);
            rows = rows.Where(x => x.p.Reference.Contains(q) || x.p.Id == receipt
                || (x.m != null && (x.m.Name.Contains(q) || x.m.IdNumber.Contains(upper) || (x.m.Phone != null && x.m.Phone.Contains(q))))
                || (x.u != null && (x.u.Name.Contains(q) || x.u.Code.Contains(upper))));
        }
        return rows.Select(x => new PremiumRow
        {
            Id = x.p.Id, Payer = x.p.Payer, PaidOn = x.p.PaidOn, PeriodStart = x.p.PeriodStart, Amount = x.p.Amount, Reference = x.p.Reference,
            UnitCode = x.u == null ? null : x.u.Code, Unit = x.u == null ? null : x.u.Name,
            MemberId = x.m == null ? null : x.m.Id, MemberName = x.m == null ? null : x.m.Name, IdNumber = x.m == null ? null : x.m.IdNumber,
            District = x.d == null ? null : x.d.Name,
        });
    }
}
