using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MutualAid.Auditing;

/// <summary>
/// One line of the audit trail (操作日志): who did what to which record, when, from where, with
/// what changed; also every view of a member's full record. Written in the same unit of work as
/// the change; never edited.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public AuditEntry(DateTime at, string user, string action, string subject, string? detail, string? from)
    {
        At = at;
        User = user;
        Action = action;
        Subject = subject;
        Detail = detail is { Length: > 1000 } ? detail[..1000] : detail;
        From = from;
    }

    public long Id { get; private set; }

    public DateTime At { get; private set; }

    public string User { get; private set; } = "";

    /// <summary>What was done, in Chinese: 复核通过, 查看会员完整资料…</summary>
    public string Action { get; private set; } = "";

    /// <summary>The record: a claim number, 会员 and an id, a batch code.</summary>
    public string Subject { get; private set; } = "";

    /// <summary>What changed (before → after), or why.</summary>
    public string? Detail { get; private set; }

    /// <summary>The client's address.</summary>
    public string? From { get; private set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(a => a.User).HasMaxLength(50);
        builder.Property(a => a.Action).HasMaxLength(50);
        builder.Property(a => a.Subject).HasMaxLength(100);
        builder.Property(a => a.Detail).HasMaxLength(1000);
        builder.Property(a => a.From).HasMaxLength(64);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.Subject);
    }
}
