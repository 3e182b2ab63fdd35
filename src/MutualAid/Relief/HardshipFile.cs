using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;

namespace MutualAid.Relief;

public enum HardshipState
{
    /// <summary>待认定: opened by a clerk, waiting for a second person.</summary>
    Pending,
    /// <summary>已认定: approved by a second person; the member may be given second-round relief until the review date.</summary>
    Approved,
    /// <summary>已撤销: found at a review to be no longer in hardship; no relief is decided on it.</summary>
    Closed,
}

/// <summary>
/// A hardship file (困难职工档案): why a member is in hardship, the evidence seen, who opened it and
/// who approved it (never the same person), and the day it is to be reviewed (复核日期). One file a
/// member; relief is decided only on an approved file whose review date has not passed.
/// </summary>
public sealed class HardshipFile
{
    private HardshipFile()
    {
    }

    public HardshipFile(long memberId, string reason, string evidence, DateOnly reviewOn, string openedBy, DateTime openedAt)
    {
        MemberId = memberId;
        Reason = reason;
        Evidence = evidence;
        ReviewOn = reviewOn;
        OpenedBy = openedBy;
        OpenedAt = openedAt;
    }

    public long Id { get; private set; }

    /// <summary>K and the id (K000012), as clerks and the audit trail name it.</summary>
    public string Number => NumberOf(Id);

    public static string NumberOf(long id) => string.Create(CultureInfo.InvariantCulture, $"K{id:D6}");

    /// <summary>The id inside a file number, or 0.</summary>
    public static long IdOf(string number) =>
        number.Length > 1 && (number[0] is 'K' or 'k') && long.TryParse(number.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    public long MemberId { get; private set; }

    /// <summary>困难原因: illness, disability, a family member's illness, loss of income…</summary>
    public string Reason { get; private set; } = "";

    /// <summary>证明材料: what the clerk saw (a hospital's certificate, the street office's letter).</summary>
    public string Evidence { get; private set; } = "";

    /// <summary>复核日期: after it the file must be reviewed before more relief is decided on it.</summary>
    public DateOnly ReviewOn { get; private set; }

    public HardshipState State { get; private set; }

    public string OpenedBy { get; private set; } = "";

    public DateTime OpenedAt { get; private set; }

    public string? ApprovedBy { get; private set; }

    public DateTime? ApprovedAt { get; private set; }

    /// <summary>Who last reviewed the file at its review date (复核), and when.</summary>
    public string? ReviewedBy { get; private set; }

    public DateTime? ReviewedAt { get; private set; }

    /// <summary>撤销原因, when a review closed the file.</summary>
    public string? ClosedReason { get; private set; }

    /// <summary>认定 by a person other than who opened the file.</summary>
    public void Approve(string by, DateTime at)
    {
        if (State != HardshipState.Pending)
            throw new InvalidInputException($"困难档案 {Number}", $"已由 {ApprovedBy} 认定，不能再认定");
        if (string.IsNullOrWhiteSpace(by) || string.Equals(by, OpenedBy, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"困难档案 {Number}", $"由 {OpenedBy} 建档，须由另一人认定");
        (State, ApprovedBy, ApprovedAt) = (HardshipState.Approved, by, at);
    }

    /// <summary>How long before its review date a file may be reviewed (复核期).</summary>
    public const int ReviewWindowDays = 30;

    /// <summary>
    /// 复核: a person other than who opened the file finds the member still in hardship until
    /// <paramref name="next"/> (from the review window on), or closes the file with a reason (any
    /// time). A closed file may be kept again (the member's hardship returned); a pending one is
    /// approved first. A review sent twice finds the file already reviewed and is refused.
    /// </summary>
    public void Review(string by, DateTime at, DateOnly today, DateOnly? next, string? closeReason)
    {
        if (State == HardshipState.Pending)
            throw new InvalidInputException($"困难档案 {Number}", "尚未认定，须先认定");
        if (string.IsNullOrWhiteSpace(by) || string.Equals(by, OpenedBy, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"困难档案 {Number}", $"由 {OpenedBy} 建档，须由另一人复核");
        if (closeReason is not null && State == HardshipState.Closed)
            throw new InvalidInputException($"困难档案 {Number}", $"已由 {ReviewedBy} 撤销（{ClosedReason}）");
        if (closeReason is null && State == HardshipState.Approved && today < ReviewOn.AddDays(-ReviewWindowDays))
            throw new InvalidInputException($"困难档案 {Number}",
                $"复核日期为 {ReviewOn:yyyy-MM-dd}，{ReviewOn.AddDays(-ReviewWindowDays):yyyy-MM-dd} 起才能复核" + (ReviewedBy is null ? "" : $"（{ReviewedBy} 已复核过）"));
        if (closeReason is not null)
            (State, ClosedReason) = (HardshipState.Closed, closeReason);
        else
            (State, ReviewOn, ClosedReason) = (HardshipState.Approved, next!.Value, null);
        (ReviewedBy, ReviewedAt) = (by, at);
    }
}

internal sealed class HardshipFileConfiguration : IEntityTypeConfiguration<HardshipFile>
{
    public void Configure(EntityTypeBuilder<HardshipFile> builder)
    {
        builder.ToTable("hardship_files");
        builder.Ignore(f => f.Number);
        builder.Property(f => f.Reason).HasMaxLength(200);
        builder.Property(f => f.Evidence).HasMaxLength(500);
        builder.Property(f => f.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.OpenedBy).HasMaxLength(50);
        builder.Property(f => f.ApprovedBy).HasMaxLength(50);
        builder.Property(f => f.ReviewedBy).HasMaxLength(50);
        builder.Property(f => f.ClosedReason).HasMaxLength(200);
        // One file a member: a second one opened at the same moment (a double click) is refused by the database.
        builder.HasIndex(f => f.MemberId).IsUnique();
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(f => f.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
