using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Settlements;

/// <summary>
/// One settlement of the basic medical insurance (医保结算) as the insurance centre shares it
/// (../shared/spec/exchange-files.md), imported and never edited. A refund (红冲) is a
/// settlement of its own that names the one it refunds.
/// </summary>
public sealed class Settlement
{
    private Settlement()
    {
    }

    public Settlement(string setlId, long memberId, EventKinds kind, DateOnly admission, DateOnly discharge, string? hospital, string division,
        string diagnoses, SettlementAmounts amounts, DateTime? settledAt, string? refundsSetlId, DateTime importedAt)
    {
        SetlId = setlId;
        MemberId = memberId;
        Kind = kind;
        AdmissionDate = admission;
        DischargeDate = discharge;
        Hospital = hospital;
        Division = division;
        Diagnoses = diagnoses;
        Amounts = amounts;
        SettledAt = settledAt;
        RefundsSetlId = refundsSetlId;
        ImportedAt = importedAt;
    }

    public long Id { get; private set; }

    /// <summary>The centre's id of the settlement (setl_id).</summary>
    public string SetlId { get; private set; } = "";

    public long MemberId { get; private set; }

    /// <summary>Hospitalization for med_type 2x, outpatientSpecial for 14.</summary>
    public EventKinds Kind { get; private set; }

    public DateOnly AdmissionDate { get; private set; }

    public DateOnly DischargeDate { get; private set; }

    public string? Hospital { get; private set; }

    /// <summary>insu_admdvs: the 6-digit division of the member's insurance region.</summary>
    public string Division { get; private set; } = "";

    /// <summary>ICD-10 codes joined by ';' as the file gives them.</summary>
    public string Diagnoses { get; private set; } = "";

    public SettlementAmounts Amounts { get; private set; } = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

    /// <summary>setl_time, converted from Beijing time to UTC.</summary>
    public DateTime? SettledAt { get; private set; }

    /// <summary>For a refund, the settlement it refunds (init_setl_id).</summary>
    public string? RefundsSetlId { get; private set; }

    /// <summary>For a refunded settlement, the refund's setl_id.</summary>
    public string? RefundedBySetlId { get; private set; }

    public DateTime ImportedAt { get; private set; }

    public bool IsRefund => RefundsSetlId is not null;

    public void MarkRefunded(string refundSetlId)
    {
        if (RefundedBySetlId is not null)
            throw new InvalidOperationException($"结算 {SetlId} 已被 {RefundedBySetlId} 冲销");
        RefundedBySetlId = refundSetlId;
    }

    /// <summary>The event of the benefit rules this settlement is (spec: how a row becomes an event).</summary>
    public BenefitEvent ToEvent(string memberKey) => new()
    {
        Id = SetlId,
        MemberId = memberKey,
        Kind = Kind,
        Date = DischargeDate,
        AdmissionDate = AdmissionDate,
        DischargeDate = DischargeDate,
        Diagnoses = Diagnoses.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Amounts = Amounts.ToEventAmounts(),
    };
}

/// <summary>The money of a settlement, column by column of the file.</summary>
public sealed record SettlementAmounts(Money TotalCost, Money FundPaid, Money FullOwnPay, Money OverLimitSelfPay, Money PersonalPart, Money CashPay)
{
    /// <summary>totalCost, insurancePaid, selfPay, selfPayOutOfScope, selfPayInScope and cashPay as the spec maps them.</summary>
    public EventAmounts ToEventAmounts() => new(
        TotalCost: TotalCost,
        InsurancePaid: FundPaid,
        SelfPayInScope: PersonalPart - FullOwnPay - OverLimitSelfPay,
        SelfPayOutOfScope: FullOwnPay + OverLimitSelfPay,
        SelfPay: PersonalPart,
        CashPay: CashPay);
}

internal sealed class SettlementConfiguration : IEntityTypeConfiguration<Settlement>
{
    public void Configure(EntityTypeBuilder<Settlement> builder)
    {
        builder.ToTable("settlements");
        builder.Ignore(s => s.IsRefund);
        builder.Property(s => s.SetlId).HasMaxLength(64);
        builder.HasIndex(s => s.SetlId).IsUnique();
        builder.Property(s => s.RefundsSetlId).HasMaxLength(64);
        builder.Property(s => s.RefundedBySetlId).HasMaxLength(64);
        builder.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Division).HasMaxLength(6);
        builder.Property(s => s.Diagnoses).HasMaxLength(500);
        builder.OwnsOne(s => s.Amounts, amounts =>
        {
            amounts.Property(a => a.TotalCost).HasColumnName("medfee_sumamt");
            amounts.Property(a => a.FundPaid).HasColumnName("fund_pay_sumamt");
            amounts.Property(a => a.FullOwnPay).HasColumnName("fulamt_ownpay_amt");
            amounts.Property(a => a.OverLimitSelfPay).HasColumnName("overlmt_selfpay");
            amounts.Property(a => a.PersonalPart).HasColumnName("psn_part_amt");
            amounts.Property(a => a.CashPay).HasColumnName("psn_cash_pay");
        });
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.MemberId, s.DischargeDate });
    }
}
