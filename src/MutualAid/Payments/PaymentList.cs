using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Payments;

/// <summary>
/// What finance narrows the payments (发放明细) to. <see cref="Search"/> is a claim number, part of a payee's
/// name, ID number or mobile number; <see cref="Batch"/> a batch's code; <see cref="From"/> and <see cref="To"/>
/// the days the batches were made (Beijing time).
/// </summary>
public sealed record PaymentFilter(
    string? Search = null, PaymentState? State = null, string? Batch = null, string? District = null,
    DateOnly? From = null, DateOnly? To = null, Money? Min = null, Money? Max = null);

/// <summary>One payment of a batch as lists show it, with its batch, claim, unit and district.</summary>
public sealed record PaymentRow
{
    public long Id { get; init; }
    public long BatchId { get; init; }
    public DateTime BatchCreatedAt { get; init; }
    public int LineNo { get; init; }
    public long? ClaimId { get; init; }
    public DateOnly? EventDate { get; init; }
    public long? ReliefId { get; init; }
    public int? ReliefYear { get; init; }
    public long? StatementId { get; init; }
    public DateOnly? StatementMonth { get; init; }
    public long? MemberId { get; init; }
    public string PayeeName { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string BankName { get; init; } = "";
    public string BankAccount { get; init; } = "";
    public Money Amount { get; init; }
    public bool NewAccount { get; init; }
    public string Memo { get; init; } = "";
    public PaymentState State { get; init; }
    public string? Reason { get; init; }
    public DateTime? AnsweredAt { get; init; }
    public string? Unit { get; init; }
    public string? District { get; init; }

    public string BatchCode => PaymentBatch.CodeOf(BatchCreatedAt, BatchId);

    /// <summary>The claim paid; null for a line that pays relief.</summary>
    public string? ClaimNumber => ClaimId is { } id ? Claim.NumberOf(EventDate!.Value, id) : null;

    /// <summary>The relief application (二次救助) paid; null for a claim's line.</summary>
    public string? ReliefNumber => ReliefId is { } id ? Relief.ReliefApplication.NumberOf(ReliefYear!.Value, id) : null;

    /// <summary>The partner statement (医疗优惠结算单) paid to its institution; null for a member's line.</summary>
    public string? StatementNumber => StatementId is { } id ? Partners.PartnerStatement.NumberOf(StatementMonth!.Value, id) : null;

    /// <summary>What the line pays: the claim's number, the relief application's, or the partner statement's.</summary>
    public string Subject => ClaimNumber ?? ReliefNumber ?? StatementNumber ?? "";

    /// <summary>The payee's id as lists show it, masked: a member's ID number, or an institution's credit code the same way.</summary>
    public string ShownId => MemberId is not null ? Common.IdNumber.Parse(IdNumber).Masked
        : IdNumber.Length == 18 ? string.Concat(IdNumber.AsSpan(0, 6), "********", IdNumber.AsSpan(14)) : IdNumber;

    /// <summary>What kind of line it is, in words, with its number.</summary>
    public string SubjectText => ReliefNumber is { } relief ? $"二次救助 {relief}" : StatementNumber is { } statement ? $"医疗优惠补助 {statement}" : ClaimNumber ?? "";
}

/// <summary>What finance narrows the batches to: a state, the days they were made.</summary>
public sealed record BatchFilter(BatchState? State = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>A batch as its list shows it, with how many of its payments the bank answered and how many go to a new account.</summary>
public sealed record BatchRow
{
    public long Id { get; init; }
    public DateTime CreatedAt { get; init; }
    public BatchState State { get; init; }
    public int Count { get; init; }
    public Money Total { get; init; }
    public string CreatedBy { get; init; } = "";
    public string? ApprovedBy { get; init; }
    public int Paid { get; init; }
    public int Failed { get; init; }
    public int NewAccounts { get; init; }

    public string Code => PaymentBatch.CodeOf(CreatedAt, Id);
}

/// <summary>
/// The payments to members and the batches, for the pages and their Excel exports: scope, filter, order
/// and paging in the database. A batch's lines are the payments filtered by the batch, in line order.
/// </summary>
public static class PaymentList
{
    public static readonly Sorting<PaymentRow> Sorting = new("id", true,
        ("id", r => r.Id), ("batch", r => r.BatchId), ("member", r => r.PayeeName), ("amount", r => r.Amount), ("state", r => r.State),
        ("answered", r => r.AnsweredAt));

    /// <summary>A batch's lines: in the bank file's order.</summary>
    public static readonly Sorting<PaymentRow> Lines = new("line", false,
        ("id", r => r.Id), ("line", r => r.LineNo), ("member", r => r.PayeeName), ("amount", r => r.Amount), ("state", r => r.State));

    public static readonly Sorting<BatchRow> Batches = new("id", true,
        ("id", r => r.Id), ("amount", r => r.Total), ("count", r => r.Count), ("state", r => r.State));

    /// <summary>The payments of the user's scope that pass the filter: what the list shows, counted without its joins.</summary>
    public static IQueryable<Payment> Filter(MutualAidDbContext db, UserScope scope, PaymentFilter filter)
    {
        var payments = db.Payments.AsQueryable();
        if (scope.MemberId is not null || scope.UnitId is not null || scope.DistrictId is not null)
        {
            var members = scope.Members(db).Select(m => m.Id);
            payments = payments.Where(p => p.MemberId != null && members.Contains(p.MemberId.Value));
        }
        if (filter.State is { } state)
            payments = payments.Where(p => p.State == state);
        if (filter.Batch?.Trim().ToUpperInvariant() is { Length: > 0 } code)
        {
            var id = PaymentBatch.IdOf(code);
            payments = payments.Where(p => p.BatchId == id);
        }
        if (filter.Min is { } min)
            payments = payments.Where(p => p.Amount >= min);
        if (filter.Max is { } max)
            payments = payments.Where(p => p.Amount <= max);
        if (filter.From is { } from)
        {
            var start = BeijingTime.StartOf(from);
            payments = payments.Where(p => db.PaymentBatches.Where(b => b.CreatedAt >= start).Select(b => b.Id).Contains(p.BatchId));
        }
        if (filter.To is { } to)
        {
            var end = BeijingTime.StartOf(to.AddDays(1));
            payments = payments.Where(p => db.PaymentBatches.Where(b => b.CreatedAt < end).Select(b => b.Id).Contains(p.BatchId));
        }
        if (filter.District?.Trim() is { Length: > 0 } district)
        {
            var units = db.Units.Where(u => db.Districts.Where(d => d.Code == district).Select(d => d.Id).Contains(u.DistrictId)).Select(u => (long?)u.Id);
            payments = payments.Where(p => p.MemberId != null && db.Members.Where(m => units.Contains(m.UnitId)).Select(m => m.Id).Contains(p.MemberId.Value));
        }
        if (filter.Search?.Trim() is { Length: > 0 } q)
        {
            var upper = q.ToUpperInvariant();
            var claim = Claim.IdOf(upper);
            payments = claim > 0 ? payments.Where(p => p.ClaimId == claim)
                : payments.Where(p => p.PayeeName.Contains(q) || p.IdNumber.Contains(upper) || db.Members.Any(m => m.Id == p.MemberId && m.Phone != null && m.Phone.Contains(q)));
        }
        return payments;
    }

    public static IQueryable<PaymentRow> Query(MutualAidDbContext db, UserScope scope, PaymentFilter filter) =>
        from p in Filter(db, scope, filter)
        join b in db.PaymentBatches on p.BatchId equals b.Id
        from c in db.Claims.Where(c => c.Id == p.ClaimId).DefaultIfEmpty()
        from r in db.ReliefApplications.Where(r => r.Id == p.ReliefId).DefaultIfEmpty()
        from s in db.PartnerStatements.Where(s => s.Id == p.StatementId).DefaultIfEmpty()
        from m in db.Members.Where(m => m.Id == p.MemberId).DefaultIfEmpty()
        from u in db.Units.Where(u => m != null && u.Id == m.UnitId).DefaultIfEmpty()
        from d in db.Districts.Where(d => u != null && d.Id == u.DistrictId).DefaultIfEmpty()
        select new PaymentRow
        {
            Id = p.Id, BatchId = b.Id, BatchCreatedAt = b.CreatedAt, LineNo = p.LineNo, ClaimId = p.ClaimId, EventDate = c == null ? null : c.EventDate,
            ReliefId = p.ReliefId, ReliefYear = r == null ? null : r.Year,
            StatementId = p.StatementId, StatementMonth = s == null ? null : s.Month,
            MemberId = p.MemberId, PayeeName = p.PayeeName, IdNumber = p.IdNumber, BankName = p.BankName, BankAccount = p.BankAccount,
            Amount = p.Amount, NewAccount = p.NewAccount, Memo = p.Memo, State = p.State, Reason = p.Reason, AnsweredAt = p.AnsweredAt,
            Unit = u == null ? null : u.Name, District = d == null ? null : d.Name,
        };

    /// <summary>A page of the payments (<see cref="Sorting"/>) or of a batch's lines (<see cref="Lines"/>).</summary>
    public static async Task<PageOf<PaymentRow>> PageAsync(MutualAidDbContext db, UserScope scope, PaymentFilter filter, Sorting<PaymentRow> sorting, PageRequest request, CancellationToken cancellationToken) =>
        await sorting.PageAsync(Query(db, scope, filter), request, cancellationToken, await Filter(db, scope, filter).CountAsync(cancellationToken));

    /// <summary>The batches (finance's, city-wide), with their answered and new-account counts.</summary>
    public static IQueryable<BatchRow> BatchQuery(MutualAidDbContext db, BatchFilter filter)
    {
        var batches = db.PaymentBatches.AsQueryable();
        if (filter.State is { } state)
            batches = batches.Where(b => b.State == state);
        if (filter.From is { } from)
        {
            var start = BeijingTime.StartOf(from);
            batches = batches.Where(b => b.CreatedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = BeijingTime.StartOf(to.AddDays(1));
            batches = batches.Where(b => b.CreatedAt < end);
        }
        return batches.Select(b => new BatchRow
        {
            Id = b.Id, CreatedAt = b.CreatedAt, State = b.State, Count = b.Count, Total = b.Total, CreatedBy = b.CreatedBy, ApprovedBy = b.ApprovedBy,
            Paid = db.Payments.Count(p => p.BatchId == b.Id && p.State == PaymentState.Paid),
            Failed = db.Payments.Count(p => p.BatchId == b.Id && p.State == PaymentState.Failed),
            NewAccounts = db.Payments.Count(p => p.BatchId == b.Id && p.NewAccount),
        });
    }
}
