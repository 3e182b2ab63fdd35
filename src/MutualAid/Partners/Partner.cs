using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Partners;

public enum PartnerKind
{
    /// <summary>合作医院.</summary>
    Hospital,
    /// <summary>合作药店.</summary>
    Pharmacy,
}

/// <summary>
/// A partner institution (合作医疗机构): a hospital or pharmacy that gives enrolled members a
/// discount (医疗优惠) on their self-pay and is paid it back by the fund each month, to its own bank
/// account. Its terms: a rate of the self-pay, a cap per visit and a cap per member a year at this
/// institution; which members: those enrolled (covered on the visit day) in <see cref="PlanCode"/>, or in
/// any plan when it is null. A partner no longer active takes no new statement.
/// </summary>
public sealed class Partner
{
    private Partner()
    {
    }

    public Partner(UnitCode code, string name, PartnerKind kind, string by, DateTime at)
    {
        Code = code.Value;
        Name = name;
        Kind = kind;
        ChangedBy = by;
        ChangedAt = at;
        Active = true;
    }

    public long Id { get; private set; }

    /// <summary>统一社会信用代码; it stands in the bank file where a member's ID number would.</summary>
    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    public PartnerKind Kind { get; private set; }

    /// <summary>优惠比例: the percent of the member's self-pay the institution may discount (1–100).</summary>
    public int RatePercent { get; private set; }

    /// <summary>每次封顶: the most discounted on one visit.</summary>
    public Money VisitCap { get; private set; }

    /// <summary>每人每年封顶: the most discounted to one member in a calendar year at this institution.</summary>
    public Money YearCap { get; private set; }

    /// <summary>The plan a member must be covered by on the visit day; null for any plan.</summary>
    public string? PlanCode { get; private set; }

    public string? BankName { get; private set; }

    public string? BankAccount { get; private set; }

    public bool Active { get; private set; }

    public string ChangedBy { get; private set; } = "";

    public DateTime ChangedAt { get; private set; }

    /// <summary>When its latest statement was imported: every import writes it, so two imports at once for one partner go one after the other (its version).</summary>
    public DateTime? LastImportAt { get; private set; }

    /// <summary>The rate's discount of a self-pay: rounded half away from zero to the fen.</summary>
    public Money MostFor(Money selfPay) => Money.Min(Money.RoundFen(selfPay.Fen * (decimal)RatePercent / 100m), VisitCap);

    public string TermsText =>
        $"自付 {RatePercent}%，每次封顶 {VisitCap.ToDisplayString()} 元，每人每年封顶 {YearCap.ToDisplayString()} 元";

    internal void SetTerms(string name, PartnerKind kind, int ratePercent, Money visitCap, Money yearCap, string? planCode, string? bankName, string? bankAccount, bool active, string by, DateTime at) =>
        (Name, Kind, RatePercent, VisitCap, YearCap, PlanCode, BankName, BankAccount, Active, ChangedBy, ChangedAt) =
        (name, kind, ratePercent, visitCap, yearCap, planCode, bankName, bankAccount, active, by, at);

    internal void Imported(DateTime at) => LastImportAt = at;
}

internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> builder)
    {
        builder.ToTable("partners");
        builder.Ignore(p => p.TermsText);
        builder.Property(p => p.Code).HasMaxLength(18);
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.PlanCode).HasMaxLength(40);
        builder.Property(p => p.BankName).HasMaxLength(100);
        builder.Property(p => p.BankAccount).HasMaxLength(40);
        builder.Property(p => p.ChangedBy).HasMaxLength(50);
        builder.HasIndex(p => p.Code).IsUnique();
    }
}
