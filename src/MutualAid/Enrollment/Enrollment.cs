using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Enrollment;

public enum EnrollmentStatus
{
    /// <summary>待缴费: enrolled, premium not yet paid; covers nothing.</summary>
    Pending,
    /// <summary>有效: paid; covers from <see cref="Enrollment.CoverageStart"/>.</summary>
    Active,
    /// <summary>已退保.</summary>
    Withdrawn,
}

/// <summary>Who pays the premium (保费分担); the parts add up to the premium.</summary>
public sealed record FundingShares(Money Worker, Money Employer, Money Union, Money Government, Money Donation)
{
    public Money Total => Worker + Employer + Union + Government + Donation;
}

/// <summary>
/// A member × plan × period (参保), under the plan version in force on its start. It covers
/// only once paid: from its start if paid before it, otherwise from the day after payment.
/// </summary>
public sealed class Enrollment
{
    private Enrollment()
    {
    }

    public Enrollment(long memberId, long planVersionId, string planCode, DateRange period, int units, long? unitId, Money premium, FundingShares shares, bool gifted, string priceRule = "")
    {
        PriceRule = priceRule;
        MemberId = memberId;
        PlanVersionId = planVersionId;
        PlanCode = planCode;
        Start = period.Start;
        End = period.End;
        Units = units;
        UnitId = unitId;
        Premium = premium;
        Shares = shares;
        Gifted = gifted;
        Status = EnrollmentStatus.Pending;
    }

    /// <summary>
    /// A new enrollment under <paramref name="version"/> at <paramref name="price"/> (the whole
    /// period's premium for its units), shared as <paramref name="split"/> says; without one the
    /// union pays a gifted enrollment, the unit one it enrols, the member their own. A part period
    /// (<paramref name="placement"/> of fewer months than its unit's period) is charged its share.
    /// </summary>
    public static Enrollment Create(long memberId, Schemes.StoredPlanVersion version, DateRange period, Benefits.PremiumPrice price, long? unitId, bool gifted, FundingSplit? split = null, Placement? placement = null)
    {
        var premium = placement?.Charge(price.Whole) ?? price.Whole;
        split ??= gifted ? new FundingSplit(0, 0, 100, 0, 0) : unitId is null ? new FundingSplit(100, 0, 0, 0, 0) : new FundingSplit(0, 100, 0, 0, 0);
        return new Enrollment(memberId, version.Id, version.PlanCode, period, price.Units, unitId, premium, split.Apply(premium), gifted, placement?.Note(price.Reason) ?? price.Reason);
    }

    /// <summary>The period after this one: from the day after it ends, for <paramref name="years"/> years.</summary>
    public DateRange NextPeriod(int years) => Placement.NewPeriod(End.AddDays(1), years).Period;

    public long Id { get; private set; }

    public long MemberId { get; private set; }

    public long PlanVersionId { get; private set; }

    public string PlanCode { get; private set; } = "";

    public DateOnly Start { get; private set; }

    public DateOnly End { get; private set; }

    public DateRange Period => new(Start, End);

    /// <summary>The period as claims see it: to the withdrawal day (the last covered day) once withdrawn.</summary>
    public DateRange CoveredPeriod => WithdrawnOn is { } day && day < End ? new(Start, day < Start ? Start : day) : Period;

    /// <summary>份数.</summary>
    public int Units { get; private set; }

    /// <summary>The unit that enrolled the member, if any.</summary>
    public long? UnitId { get; private set; }

    public EnrollmentStatus Status { get; private set; }

    /// <summary>Premium charged for the period: the version's premium × units, its share for a part period.</summary>
    public Money Premium { get; private set; }

    /// <summary>The price rule the premium was charged by, in words (民营企业 续保 40 元/年 × 2 年); empty on enrolments made before prices had rules.</summary>
    public string PriceRule { get; private set; } = "";

    public FundingShares Shares { get; private set; } = new(Money.Zero, Money.Zero, Money.Zero, Money.Zero, Money.Zero);

    /// <summary>赠送: the union pays.</summary>
    public bool Gifted { get; private set; }

    public DateOnly? PaidOn { get; private set; }

    /// <summary>The first covered day; null while unpaid.</summary>
    public DateOnly? CoverageStart { get; private set; }

    public DateOnly? WithdrawnOn { get; private set; }

    /// <summary>Records the premium paid on <paramref name="day"/>; throws unless pending.</summary>
    public void MarkPaid(DateOnly day)
    {
        if (Status != EnrollmentStatus.Pending)
            throw new InvalidOperationException($"参保记录 {Id} 状态为 {Status}，不能登记缴费");
        PaidOn = day;
        CoverageStart = day < Start ? Start : day.AddDays(1);
        Status = EnrollmentStatus.Active;
    }

    public void Withdraw(DateOnly day)
    {
        if (Status == EnrollmentStatus.Withdrawn)
            throw new InvalidOperationException($"参保记录 {Id} 已退保");
        WithdrawnOn = day;
        Status = EnrollmentStatus.Withdrawn;
    }
}

internal sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> builder)
    {
        builder.ToTable("enrollments");
        builder.Ignore(e => e.Period);
        builder.Ignore(e => e.CoveredPeriod);
        builder.Property(e => e.PlanCode).HasMaxLength(50);
        builder.Property(e => e.PriceRule).HasMaxLength(100);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.OwnsOne(e => e.Shares, shares =>
        {
            shares.Property(s => s.Worker).HasColumnName("share_worker");
            shares.Property(s => s.Employer).HasColumnName("share_employer");
            shares.Property(s => s.Union).HasColumnName("share_union");
            shares.Property(s => s.Government).HasColumnName("share_government");
            shares.Property(s => s.Donation).HasColumnName("share_donation");
            shares.Ignore(s => s.Total);
        });
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(e => e.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Schemes.StoredPlanVersion>().WithMany().HasForeignKey(e => e.PlanVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(e => e.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.MemberId, e.PlanCode, e.Start });
        builder.HasIndex(e => e.UnitId);
        // A plan's enrolments in force on a day (the home page) are a range of this index, counted without reading a row.
        builder.HasIndex(e => new { e.Status, e.PlanCode, e.End, e.Start });
    }
}
