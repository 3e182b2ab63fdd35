using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Relief;

/// <summary>A hardship file as the list shows it; the ID number masked, as in every list.</summary>
public sealed record HardshipRow(string Number, long MemberId, string Name, string IdNumber, string? District, string Reason, string Evidence,
    HardshipState State, string OpenedBy, DateTime OpenedAt, string? ApprovedBy, DateOnly ReviewOn, string? ReviewedBy, string? ClosedReason)
{
    public string StateName => Names.Of(State);
}

/// <summary>A relief application as the list shows it.</summary>
public sealed record ReliefRow(string Number, int Year, long MemberId, string Name, string IdNumber, string? District, Money Amount, string Meeting,
    ReliefState State, string EnteredBy, DateTime EnteredAt, string? CheckedBy, string? RefusalReason, string? PaidBy)
{
    public string StateName => Names.Of(State);
}

/// <summary>The year's relief budget, what approved applications took and what remains.</summary>
public sealed record BudgetRow(int Year, Money Amount, Money Committed, Money Remaining, string SetBy);

/// <summary>Hardship files, relief applications and budgets, in the reader's scope (the web's lists and the CLI's).</summary>
public sealed class ReliefLists(MutualAidDbContext db)
{
    /// <summary>The most a list shows at once, newest first; a year's relief in a large city is about 1,500 applications.</summary>
    public const int Limit = 2000;

    public async Task<IReadOnlyList<HardshipRow>> HardshipAsync(UserScope reader, HardshipState? state, CancellationToken cancellationToken)
    {
        var files = db.HardshipFiles.AsNoTracking().Where(f => reader.Members(db).Select(m => m.Id).Contains(f.MemberId));
        if (state is { } s)
            files = files.Where(f => f.State == s);
        var rows = await (
                from f in files
                join m in db.Members on f.MemberId equals m.Id
                from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
                from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
                orderby f.Id descending
                select new { f, m.Name, m.IdNumber, District = d == null ? null : d.Name })
            .Take(Limit).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new HardshipRow(r.f.Number, r.f.MemberId, r.Name, IdNumber.Parse(r.IdNumber).Masked, r.District, r.f.Reason, r.f.Evidence,
            r.f.State, r.f.OpenedBy, r.f.OpenedAt, r.f.ApprovedBy, r.f.ReviewOn, r.f.ReviewedBy, r.f.ClosedReason))];
    }

    public async Task<IReadOnlyList<ReliefRow>> ApplicationsAsync(UserScope reader, int? year, ReliefState? state, CancellationToken cancellationToken)
    {
        var applications = db.ReliefApplications.AsNoTracking().Where(a => reader.Members(db).Select(m => m.Id).Contains(a.MemberId));
        if (year is { } y)
            applications = applications.Where(a => a.Year == y);
        if (state is { } s)
            applications = applications.Where(a => a.State == s);
        var rows = await (
                from a in applications
                join m in db.Members on a.MemberId equals m.Id
                from u in db.Units.Where(u => u.Id == m.UnitId).DefaultIfEmpty()
                from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
                orderby a.Id descending
                select new { a, m.Name, m.IdNumber, District = d == null ? null : d.Name })
            .Take(Limit).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ReliefRow(r.a.Number, r.a.Year, r.a.MemberId, r.Name, IdNumber.Parse(r.IdNumber).Masked, r.District, r.a.Amount, r.a.Meeting,
            r.a.State, r.a.EnteredBy, r.a.EnteredAt, r.a.CheckedBy, r.a.RefusalReason, r.a.PaidBy))];
    }

    public async Task<IReadOnlyList<BudgetRow>> BudgetsAsync(CancellationToken cancellationToken) =>
        [.. (await db.ReliefBudgets.AsNoTracking().OrderByDescending(b => b.Year).ToListAsync(cancellationToken))
            .Select(b => new BudgetRow(b.Year, b.Amount, b.Committed, b.Remaining, b.SetBy))];
}
