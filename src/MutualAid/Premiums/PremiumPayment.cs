using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Premiums;

/// <summary>Who pays a part of a premium: the unit, the member (individual enrolment), the union (赠送), the government (补助) or donors (捐赠).</summary>
public enum Payer
{
    Unit,
    Member,
    Union,
    Government,
    Donation,
}

/// <summary>
/// A premium payment (缴费) received for the periods starting on <see cref="PeriodStart"/>,
/// from a unit, a member or the union. <see cref="Reference"/> is the bank's serial number:
/// the same payment recorded twice is one payment.
/// </summary>
public sealed class PremiumPayment
{
    private PremiumPayment()
    {
    }

    public PremiumPayment(Payer payer, long? unitId, long? memberId, DateOnly periodStart, Money amount, DateOnly paidOn, string reference)
    {
        if (amount <= Money.Zero)
            throw new ArgumentException($"缴费金额 {amount.ToDisplayString()} 元应大于 0", nameof(amount));
        Payer = payer;
        UnitId = unitId;
        MemberId = memberId;
        PeriodStart = periodStart;
        Amount = amount;
        PaidOn = paidOn;
        Reference = reference;
    }

    public long Id { get; private set; }

    public Payer Payer { get; private set; }

    public long? UnitId { get; private set; }

    public long? MemberId { get; private set; }

    public DateOnly PeriodStart { get; private set; }

    public Money Amount { get; private set; }

    public DateOnly PaidOn { get; private set; }

    public string Reference { get; private set; } = "";

    /// <summary>The receipt's number (收据号): R, the year the money came in, the id (R2026000123).</summary>
    public string ReceiptNumber => ReceiptNumberOf(PaidOn, Id);

    public static string ReceiptNumberOf(DateOnly paidOn, long id) => string.Create(CultureInfo.InvariantCulture, $"R{paidOn.Year}{id:D6}");

    /// <summary>The id inside a receipt number, or 0; the caller still compares <see cref="ReceiptNumber"/>.</summary>
    public static long IdOf(string number) =>
        number.Length > 5 && number[0] == 'R' && long.TryParse(number.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
}

internal sealed class PremiumPaymentConfiguration : IEntityTypeConfiguration<PremiumPayment>
{
    public void Configure(EntityTypeBuilder<PremiumPayment> builder)
    {
        builder.ToTable("premium_payments");
        builder.Property(p => p.Payer).HasConversion<string>().HasMaxLength(10);
        builder.Property(p => p.Reference).HasMaxLength(64);
        builder.HasIndex(p => p.Reference).IsUnique();
        builder.HasIndex(p => new { p.UnitId, p.PeriodStart });
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(p => p.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
