using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Claims;

public enum RecoveryState
{
    /// <summary>待追回.</summary>
    Open,
    /// <summary>已追回.</summary>
    Recovered,
}

/// <summary>
/// 追回: money paid on a claim whose settlement the insurance centre later refunded (红冲). The
/// paid claim stays as it was; what the member owes back is kept here until it is repaid.
/// </summary>
public sealed class Recovery
{
    private Recovery()
    {
    }

    public Recovery(long claimId, long refundSettlementId, Money amount, string reason, DateTime openedAt)
    {
        ClaimId = claimId;
        RefundSettlementId = refundSettlementId;
        Amount = amount;
        Reason = reason;
        OpenedAt = openedAt;
        State = RecoveryState.Open;
    }

    public long Id { get; private set; }

    public long ClaimId { get; private set; }

    public long RefundSettlementId { get; private set; }

    public Money Amount { get; private set; }

    public RecoveryState State { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTime OpenedAt { get; private set; }

    /// <summary>The day the member's repayment reached the fund's account.</summary>
    public DateOnly? RecoveredOn { get; private set; }

    /// <summary>The bank's serial number of the repayment.</summary>
    public string? Reference { get; private set; }

    /// <summary>The member has paid it back, in full; throws unless still open.</summary>
    public void Collect(DateOnly on, string reference)
    {
        if (State != RecoveryState.Open)
            throw new Benefits.InvalidInputException($"追回款 {Id}", $"已于 {RecoveredOn:yyyy-MM-dd} 收回（流水号 {Reference}）");
        State = RecoveryState.Recovered;
        RecoveredOn = on;
        Reference = reference;
    }
}

internal sealed class RecoveryConfiguration : IEntityTypeConfiguration<Recovery>
{
    public void Configure(EntityTypeBuilder<Recovery> builder)
    {
        builder.ToTable("recoveries");
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reason).HasMaxLength(200);
        builder.Property(r => r.Reference).HasMaxLength(64);
        builder.HasOne<Claim>().WithMany().HasForeignKey(r => r.ClaimId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Settlements.Settlement>().WithMany().HasForeignKey(r => r.RefundSettlementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.ClaimId).IsUnique();
        builder.HasIndex(r => r.Reference).IsUnique();
    }
}
