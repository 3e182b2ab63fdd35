using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Partners;

public enum StatementState
{
    /// <summary>待复核: imported whole, every row within the terms, waiting for a second person.</summary>
    Imported,
    /// <summary>已核准: checked, posted to the books, waiting for a payment batch.</summary>
    Approved,
    /// <summary>不予核准: refused at the check; its rows are freed, so the month may be imported again.</summary>
    Refused,
    /// <summary>已付款: the bank paid the institution.</summary>
    Paid,
}

/// <summary>
/// A partner's monthly statement (月度优惠结算单): the discounts it gave members in one month, imported
/// whole or not at all, checked by a second person, paid to the institution by a payment batch. One
/// statement a partner a month that is not refused, kept by the database.
/// </summary>
public sealed class PartnerStatement
{
    private readonly List<PartnerDiscount> _discounts = [];

    private PartnerStatement()
    {
    }

    public PartnerStatement(long partnerId, DateOnly month, string fileName, IEnumerable<PartnerDiscount> discounts, string importedBy, DateTime importedAt)
    {
        PartnerId = partnerId;
        Month = month;
        FileName = fileName;
        _discounts.AddRange(discounts);
        Rows = _discounts.Count;
        SelfPay = Money.Sum(_discounts.Select(d => d.SelfPay));
        Discount = Money.Sum(_discounts.Select(d => d.Discount));
        ImportedBy = importedBy;
        ImportedAt = importedAt;
    }

    public long Id { get; private set; }

    /// <summary>H, the month, the id (H202406000012).</summary>
    public string Number => NumberOf(Month, Id);

    public static string NumberOf(DateOnly month, long id) => string.Create(CultureInfo.InvariantCulture, $"H{month:yyyyMM}{id:D6}");

    /// <summary>The id inside a statement number, or 0; the caller still compares <see cref="Number"/>.</summary>
    public static long IdOf(string number) =>
        number.Length > 7 && (number[0] is 'H' or 'h') && long.TryParse(number.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    public long PartnerId { get; private set; }

    /// <summary>The first day of the month the discounts were given in.</summary>
    public DateOnly Month { get; private set; }

    public string FileName { get; private set; } = "";

    public int Rows { get; private set; }

    /// <summary>The members' self-pay on the statement's visits.</summary>
    public Money SelfPay { get; private set; }

    /// <summary>The discounts given: what the fund pays the institution.</summary>
    public Money Discount { get; private set; }

    public StatementState State { get; private set; }

    /// <summary>The rows; empty once refused (its settlements may be claimed again), the counts and totals kept.</summary>
    public IReadOnlyList<PartnerDiscount> Discounts => _discounts;

    public string ImportedBy { get; private set; } = "";

    public DateTime ImportedAt { get; private set; }

    public string? CheckedBy { get; private set; }

    public DateTime? CheckedAt { get; private set; }

    public string? RefusalReason { get; private set; }

    public DateTime? PaidAt { get; private set; }

    /// <summary>The batch and line that paid it (P20261122000012-3).</summary>
    public string? PaidBy { get; private set; }

    /// <summary>核准 by a person other than who imported it.</summary>
    public void Approve(string by, DateTime at)
    {
        RequireImported(by);
        (State, CheckedBy, CheckedAt) = (StatementState.Approved, by, at);
    }

    /// <summary>不予核准, with the reason.</summary>
    public void Refuse(string by, DateTime at, string reason)
    {
        RequireImported(by);
        (State, CheckedBy, CheckedAt, RefusalReason) = (StatementState.Refused, by, at, reason);
        _discounts.Clear();
    }

    public void MarkPaid(DateTime at, string reference)
    {
        if (State != StatementState.Approved)
            throw new InvalidInputException($"结算单 {Number}", $"现为“{Names.Of(State)}”，不能记为已付款");
        (State, PaidAt, PaidBy) = (StatementState.Paid, at, reference);
    }

    private void RequireImported(string by)
    {
        if (State != StatementState.Imported)
            throw new InvalidInputException($"结算单 {Number}", $"已由 {CheckedBy} 复核（现为“{Names.Of(State)}”），不能再复核");
        if (string.IsNullOrWhiteSpace(by) || string.Equals(by, ImportedBy, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"结算单 {Number}", $"由 {ImportedBy} 导入，须由另一人复核");
    }
}

/// <summary>One row of a statement: a discount given to a member on one visit, known by its medical-insurance settlement id.</summary>
public sealed class PartnerDiscount
{
    private PartnerDiscount()
    {
    }

    public PartnerDiscount(long partnerId, int lineNo, long memberId, DateOnly visitDate, string settlementId, Money selfPay, Money discount)
    {
        PartnerId = partnerId;
        LineNo = lineNo;
        MemberId = memberId;
        VisitDate = visitDate;
        SettlementId = settlementId;
        SelfPay = selfPay;
        Discount = discount;
    }

    public long Id { get; private set; }

    public long StatementId { get; private set; }

    public long PartnerId { get; private set; }

    /// <summary>The row's line in the imported file (the header is line 1).</summary>
    public int LineNo { get; private set; }

    public long MemberId { get; private set; }

    public DateOnly VisitDate { get; private set; }

    /// <summary>结算流水号: the medical-insurance settlement of the visit; claimed once across all statements.</summary>
    public string SettlementId { get; private set; } = "";

    public Money SelfPay { get; private set; }

    public Money Discount { get; private set; }
}

internal sealed class PartnerStatementConfiguration : IEntityTypeConfiguration<PartnerStatement>, IEntityTypeConfiguration<PartnerDiscount>
{
    public void Configure(EntityTypeBuilder<PartnerStatement> builder)
    {
        builder.ToTable("partner_statements");
        builder.Ignore(s => s.Number);
        builder.Property(s => s.FileName).HasMaxLength(200);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.ImportedBy).HasMaxLength(50);
        builder.Property(s => s.CheckedBy).HasMaxLength(50);
        builder.Property(s => s.RefusalReason).HasMaxLength(200);
        builder.Property(s => s.PaidBy).HasMaxLength(40);
        // A month's statement imported once: a second file for the month, or the same sent twice at once, is refused by the database.
        builder.HasIndex(s => new { s.PartnerId, s.Month }).IsUnique().HasFilter("state <> 'Refused'").HasDatabaseName("ux_partner_statements_live_month");
        builder.HasIndex(s => new { s.State, s.Month });
        builder.HasOne<Partner>().WithMany().HasForeignKey(s => s.PartnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Discounts).WithOne().HasForeignKey(d => d.StatementId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Discounts).HasField("_discounts");
    }

    public void Configure(EntityTypeBuilder<PartnerDiscount> builder)
    {
        builder.ToTable("partner_discounts");
        builder.Property(d => d.SettlementId).HasMaxLength(50);
        // A settlement is discounted once, whichever statement claims it.
        builder.HasIndex(d => d.SettlementId).IsUnique();
        builder.HasIndex(d => new { d.StatementId, d.LineNo });
        // A member's discounts of a year at a partner, summed for the yearly cap.
        builder.HasIndex(d => new { d.PartnerId, d.MemberId, d.VisitDate });
        builder.HasOne<Partner>().WithMany().HasForeignKey(d => d.PartnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(d => d.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
