using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Premiums;

public enum OrderState
{
    /// <summary>待支付: the member was sent to the gateway.</summary>
    Open,
    /// <summary>已支付: the gateway's notification verified and the payment is recorded.</summary>
    Paid,
}

/// <summary>
/// 缴费订单: a member paying their own premiums for the periods starting on a day through the
/// payment gateway. The amount is what they owed when they started; the gateway's transaction
/// number becomes the premium payment's reference, so a notification repeated is one payment.
/// </summary>
public sealed class PremiumOrder
{
    private PremiumOrder()
    {
    }

    public PremiumOrder(string number, long memberId, DateOnly periodStart, Money amount, DateTime createdAt, DateTime expiresAt)
    {
        if (amount <= Money.Zero)
            throw new ArgumentException($"订单金额 {amount.ToDisplayString()} 元应大于 0", nameof(amount));
        Number = number;
        MemberId = memberId;
        PeriodStart = periodStart;
        Amount = amount;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public long Id { get; private set; }

    public string Number { get; private set; } = "";

    public long MemberId { get; private set; }

    public DateOnly PeriodStart { get; private set; }

    public Money Amount { get; private set; }

    public OrderState State { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The gateway takes no payment after this; a later order is made for what is still owed.</summary>
    public DateTime ExpiresAt { get; private set; }

    public DateTime? PaidAt { get; private set; }

    public string? Transaction { get; private set; }

    public void MarkPaid(string transaction, DateTime paidAt)
    {
        if (State != OrderState.Open)
            throw new Benefits.InvalidInputException($"订单 {Number}", $"已支付（{Transaction}）");
        State = OrderState.Paid;
        Transaction = transaction;
        PaidAt = paidAt;
    }
}

internal sealed class PremiumOrderConfiguration : IEntityTypeConfiguration<PremiumOrder>
{
    public void Configure(EntityTypeBuilder<PremiumOrder> builder)
    {
        builder.ToTable("premium_orders");
        builder.Property(o => o.Number).HasMaxLength(32);
        builder.HasIndex(o => o.Number).IsUnique();
        builder.Property(o => o.State).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.Transaction).HasMaxLength(64);
        builder.HasIndex(o => o.MemberId);
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(o => o.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
