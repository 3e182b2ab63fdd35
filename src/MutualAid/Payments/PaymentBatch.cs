using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Payments;

public enum BatchState
{
    /// <summary>待审批: made from the approved claims, waiting for a second person in finance.</summary>
    Draft,
    /// <summary>已审批.</summary>
    Approved,
    /// <summary>已送银行: the bank file is written.</summary>
    Exported,
    /// <summary>已回盘: every payment came back paid or failed.</summary>
    Closed,
}

public enum PaymentState
{
    /// <summary>In a batch, not yet answered by the bank.</summary>
    Pending,
    Paid,
    /// <summary>The bank refused it; the claim is back in the queue for a corrected account.</summary>
    Failed,
}

/// <summary>
/// A payment batch (发放批次): approved claims paid to members' bank cards through one bank file.
/// Made by one person in finance and approved by another; its file is a function of its rows, so
/// writing it again after a crash writes the same file.
/// </summary>
public sealed class PaymentBatch
{
    private readonly List<Payment> _payments = [];

    private PaymentBatch()
    {
    }

    public PaymentBatch(string createdBy, DateTime createdAt, IEnumerable<Payment> payments)
    {
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        _payments.AddRange(payments);
        for (var i = 0; i < _payments.Count; i++)
            _payments[i].Number(i + 1);
        Count = _payments.Count;
        Total = Money.Sum(_payments.Select(p => p.Amount));
    }

    public long Id { get; private set; }

    /// <summary>The batch_id of the bank file: P, the day it was made, the id (P20261122000012).</summary>
    public string Code => CodeOf(CreatedAt, Id);

    public static string CodeOf(DateTime createdAt, long id) => string.Create(CultureInfo.InvariantCulture, $"P{createdAt:yyyyMMdd}{id:D6}");

    /// <summary>The id inside a batch code, or 0; the caller still compares <see cref="Code"/>.</summary>
    public static long IdOf(string code) =>
        code.Length > 9 && code[0] == 'P' && long.TryParse(code.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    public BatchState State { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public string? ApprovedBy { get; private set; }

    public DateTime? ApprovedAt { get; private set; }

    public DateTime? ExportedAt { get; private set; }

    public int Count { get; private set; }

    public Money Total { get; private set; }

    public IReadOnlyList<Payment> Payments => _payments;

    /// <summary>How many payments go to an account changed in the last 30 days (新账户).</summary>
    public int NewAccounts => _payments.Count(p => p.NewAccount);

    /// <summary>The bank file's name: batch_id, count and total, as the bank reads them.</summary>
    public string FileName => string.Create(CultureInfo.InvariantCulture, $"{Code}_{Count}_{Total.ToInvariantString()}.csv");

    /// <summary>财务审批 by a second person.</summary>
    public void Approve(string by, DateTime at)
    {
        if (State != BatchState.Draft)
            throw new InvalidInputException(Code, State == BatchState.Draft ? "不能审批" : $"已由 {ApprovedBy} 审批（现为“{Names.Of(State)}”），不能再审批");
        if (string.IsNullOrWhiteSpace(by) || by == CreatedBy)
            throw new InvalidInputException(Code, $"由 {CreatedBy} 生成，须由另一人审批");
        (State, ApprovedBy, ApprovedAt) = (BatchState.Approved, by, at);
    }

    /// <summary>The file went to the bank; true the first time, false when it is written again.</summary>
    public bool Exported(DateTime at)
    {
        if (State == BatchState.Draft)
            throw new InvalidInputException(Code, "尚未审批，不能送银行");
        if (State != BatchState.Approved)
            return false;
        (State, ExportedAt) = (BatchState.Exported, at);
        return true;
    }

    /// <summary>Closes the batch once the bank has answered every payment.</summary>
    public void CloseIfAnswered()
    {
        if (State == BatchState.Exported && _payments.All(p => p.State != PaymentState.Pending))
            State = BatchState.Closed;
    }
}

/// <summary>
/// One payment of a batch, with what the bank said: a claim's total or an approved relief application's
/// amount to the member's bank card, or an approved partner statement's discounts to the institution's
/// account (no member; its unified social credit code where a member's ID number would be).
/// </summary>
public sealed class Payment
{
    private Payment()
    {
    }

    public Payment(long? claimId, long? memberId, string payeeName, string idNumber, string bankAccount, string bankName, Money amount, string memo)
    {
        ClaimId = claimId;
        MemberId = memberId;
        PayeeName = payeeName;
        IdNumber = idNumber;
        BankAccount = bankAccount;
        BankName = bankName;
        Amount = amount;
        Memo = memo;
    }

    public long Id { get; private set; }

    public long BatchId { get; private set; }

    public int LineNo { get; private set; }

    /// <summary>The claim paid; null for a line that pays relief (<see cref="ReliefId"/>).</summary>
    public long? ClaimId { get; private set; }

    /// <summary>The relief application (二次救助) paid; null for a claim's line. Exactly one of claim, relief and statement is set.</summary>
    public long? ReliefId { get; init; }

    /// <summary>The partner statement (医疗优惠结算单) paid to its institution; null for a member's line.</summary>
    public long? StatementId { get; init; }

    /// <summary>The member paid; null for a partner institution's line.</summary>
    public long? MemberId { get; private set; }

    public string PayeeName { get; private set; } = "";

    public string IdNumber { get; private set; } = "";

    public string BankAccount { get; private set; } = "";

    public string BankName { get; private set; } = "";

    public Money Amount { get; private set; }

    /// <summary>新账户: the member's account was changed in the 30 days before the batch, so finance looks twice. Not in the bank file.</summary>
    public bool NewAccount { get; init; }

    public string Memo { get; private set; } = "";

    public PaymentState State { get; private set; }

    /// <summary>The bank's reason for a failure.</summary>
    public string? Reason { get; private set; }

    public DateTime? AnsweredAt { get; private set; }

    internal void Number(int lineNo) => LineNo = lineNo;

    /// <summary>The bank's answer. The same answer again is nothing; a different one is refused.</summary>
    public bool Answer(bool success, string? reason, DateTime at)
    {
        var state = success ? PaymentState.Paid : PaymentState.Failed;
        if (State == state)
            return false;
        if (State != PaymentState.Pending)
            throw new InvalidInputException($"第 {LineNo} 笔", $"已回盘为“{Names.Of(State)}”，不能改为“{Names.Of(state)}”");
        (State, Reason, AnsweredAt) = (state, success ? null : reason ?? "", at);
        return true;
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<PaymentBatch>, IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<PaymentBatch> builder)
    {
        builder.ToTable("payment_batches");
        builder.Ignore(b => b.Code);
        builder.Ignore(b => b.FileName);
        builder.Ignore(b => b.NewAccounts);
        builder.Property(b => b.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.CreatedBy).HasMaxLength(50);
        builder.Property(b => b.ApprovedBy).HasMaxLength(50);
        builder.HasMany(b => b.Payments).WithOne().HasForeignKey(p => p.BatchId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(b => b.Payments).HasField("_payments");
    }

    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.Property(p => p.PayeeName).HasMaxLength(50);
        builder.Property(p => p.IdNumber).HasMaxLength(18);
        builder.Property(p => p.BankAccount).HasMaxLength(40);
        builder.Property(p => p.BankName).HasMaxLength(100);
        builder.Property(p => p.Memo).HasMaxLength(200);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Reason).HasMaxLength(200);
        builder.HasIndex(p => new { p.BatchId, p.LineNo }).IsUnique();
        // A batch's answered and new-account counts, read from the index alone on the batches page.
        builder.HasIndex(p => new { p.BatchId, p.State, p.NewAccount });
        // The idempotency the issue asks for, kept by the database: a claim has at most one payment that is not failed.
        builder.HasIndex(p => p.ClaimId).IsUnique().HasFilter("state <> 'Failed'").HasDatabaseName("ux_payments_live_claim");
        builder.HasIndex(p => p.ReliefId).IsUnique().HasFilter("state <> 'Failed'").HasDatabaseName("ux_payments_live_relief");
        builder.HasIndex(p => p.StatementId).IsUnique().HasFilter("state <> 'Failed'").HasDatabaseName("ux_payments_live_statement");
        builder.ToTable(t => t.HasCheckConstraint("ck_payments_claim_or_relief_or_statement",
            "(CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN relief_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN statement_id IS NULL THEN 0 ELSE 1 END) = 1 AND (member_id IS NULL) = (statement_id IS NOT NULL)"));
        // No foreign key to claims: a paid claim may be archived (mutualaid archive) while its payment stays in its batch.
        builder.HasOne<Relief.ReliefApplication>().WithMany().HasForeignKey(p => p.ReliefId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Partners.PartnerStatement>().WithMany().HasForeignKey(p => p.StatementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
