using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Relief;

public enum ReliefState
{
    /// <summary>待复核: the committee's amount entered, waiting for a second person's check.</summary>
    Submitted,
    /// <summary>已核准: checked, within the year's budget, posted to the books, waiting for a payment batch.</summary>
    Approved,
    /// <summary>不予核准: refused at the check, with the reason.</summary>
    Refused,
    /// <summary>已发放: the bank paid it.</summary>
    Paid,
}

/// <summary>
/// A relief application (救助申请) for second-round relief (二次救助): a member with an approved
/// hardship file, the amount the relief committee decided with its meeting's reference, entered by
/// one person and checked by another, within the year's budget (<see cref="ReliefBudget"/>). One
/// application a member a year that is not refused, kept by the database.
/// </summary>
public sealed class ReliefApplication
{
    private ReliefApplication()
    {
    }

    public ReliefApplication(int year, long memberId, long hardshipFileId, Money amount, string meeting, string? note, string enteredBy, DateTime enteredAt)
    {
        Year = year;
        MemberId = memberId;
        HardshipFileId = hardshipFileId;
        Amount = amount;
        Meeting = meeting;
        Note = note;
        EnteredBy = enteredBy;
        EnteredAt = enteredAt;
    }

    public long Id { get; private set; }

    /// <summary>J, the year, the id (J2026000012).</summary>
    public string Number => NumberOf(Year, Id);

    public static string NumberOf(int year, long id) => string.Create(CultureInfo.InvariantCulture, $"J{year:D4}{id:D6}");

    /// <summary>The id inside an application number, or 0; the caller still compares <see cref="Number"/>.</summary>
    public static long IdOf(string number) =>
        number.Length > 5 && (number[0] is 'J' or 'j') && long.TryParse(number.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    /// <summary>The budget year the relief is charged to.</summary>
    public int Year { get; private set; }

    public long MemberId { get; private set; }

    public long HardshipFileId { get; private set; }

    /// <summary>The amount the committee decided.</summary>
    public Money Amount { get; private set; }

    /// <summary>The committee meeting's reference (会议纪要编号), e.g. 救助委员会 2026 年第 3 次会议.</summary>
    public string Meeting { get; private set; } = "";

    public string? Note { get; private set; }

    public ReliefState State { get; private set; }

    public string EnteredBy { get; private set; } = "";

    public DateTime EnteredAt { get; private set; }

    public string? CheckedBy { get; private set; }

    public DateTime? CheckedAt { get; private set; }

    public string? RefusalReason { get; private set; }

    public DateTime? PaidAt { get; private set; }

    /// <summary>The batch and line that paid it (P20261122000012-3).</summary>
    public string? PaidBy { get; private set; }

    /// <summary>核准 by a person other than who entered it.</summary>
    public void Approve(string by, DateTime at)
    {
        RequireSubmitted(by);
        (State, CheckedBy, CheckedAt) = (ReliefState.Approved, by, at);
    }

    /// <summary>不予核准, with the reason.</summary>
    public void Refuse(string by, DateTime at, string reason)
    {
        RequireSubmitted(by);
        (State, CheckedBy, CheckedAt, RefusalReason) = (ReliefState.Refused, by, at, reason);
    }

    public void MarkPaid(DateTime at, string reference)
    {
        if (State != ReliefState.Approved)
            throw new InvalidInputException($"救助申请 {Number}", $"现为“{Names.Of(State)}”，不能记为已发放");
        (State, PaidAt, PaidBy) = (ReliefState.Paid, at, reference);
    }

    private void RequireSubmitted(string by)
    {
        if (State != ReliefState.Submitted)
            throw new InvalidInputException($"救助申请 {Number}", $"已由 {CheckedBy} 复核（现为“{Names.Of(State)}”），不能再复核");
        if (string.IsNullOrWhiteSpace(by) || string.Equals(by, EnteredBy, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"救助申请 {Number}", $"由 {EnteredBy} 录入，须由另一人复核");
    }
}

/// <summary>
/// The year's relief budget (救助预算): what the union sets aside for second-round relief, and how
/// much of it approved applications have taken. Its version makes two checks at the same moment
/// take from it one after the other, so the budget is never exceeded.
/// </summary>
public sealed class ReliefBudget
{
    private ReliefBudget()
    {
    }

    public ReliefBudget(int year, Money amount, string setBy, DateTime setAt)
    {
        Year = year;
        Amount = amount;
        SetBy = setBy;
        SetAt = setAt;
    }

    public long Id { get; private set; }

    public int Year { get; private set; }

    public Money Amount { get; private set; }

    /// <summary>What approved applications of the year have taken.</summary>
    public Money Committed { get; private set; }

    public Money Remaining => Amount - Committed;

    public string SetBy { get; private set; } = "";

    public DateTime SetAt { get; private set; }

    public void Change(Money amount, string by, DateTime at)
    {
        if (amount < Committed)
            throw new InvalidInputException($"{Year} 年救助预算", $"已核准 {Committed.ToDisplayString()} 元，预算不能少于此数");
        (Amount, SetBy, SetAt) = (amount, by, at);
    }

    /// <summary>Takes an approved application's amount; refused when it would exceed what remains.</summary>
    public void Take(ReliefApplication application)
    {
        if (application.Amount > Remaining)
            throw new InvalidInputException($"救助申请 {application.Number}",
                $"金额 {application.Amount.ToDisplayString()} 元超过 {Year} 年救助预算余额 {Remaining.ToDisplayString()} 元（预算 {Amount.ToDisplayString()} 元，已核准 {Committed.ToDisplayString()} 元），不能核准");
        Committed += application.Amount;
    }
}

internal sealed class ReliefConfiguration : IEntityTypeConfiguration<ReliefApplication>, IEntityTypeConfiguration<ReliefBudget>
{
    public void Configure(EntityTypeBuilder<ReliefApplication> builder)
    {
        builder.ToTable("relief_applications");
        builder.Ignore(a => a.Number);
        builder.Property(a => a.Meeting).HasMaxLength(100);
        builder.Property(a => a.Note).HasMaxLength(200);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.EnteredBy).HasMaxLength(50);
        builder.Property(a => a.CheckedBy).HasMaxLength(50);
        builder.Property(a => a.RefusalReason).HasMaxLength(200);
        builder.Property(a => a.PaidBy).HasMaxLength(40);
        // One application a member a year that is not refused: a double submit, or a second clerk, is refused by the database.
        builder.HasIndex(a => new { a.MemberId, a.Year }).IsUnique().HasFilter("state <> 'Refused'").HasDatabaseName("ux_relief_live_member_year");
        builder.HasIndex(a => new { a.Year, a.State });
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(a => a.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<HardshipFile>().WithMany().HasForeignKey(a => a.HardshipFileId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<ReliefBudget> builder)
    {
        builder.ToTable("relief_budgets");
        builder.Ignore(b => b.Remaining);
        builder.Property(b => b.SetBy).HasMaxLength(50);
        builder.HasIndex(b => b.Year).IsUnique();
    }
}
