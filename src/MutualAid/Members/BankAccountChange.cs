using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Members;

/// <summary>Who asked for a member's new bank account.</summary>
public enum BankChangeSource
{
    /// <summary>单位: the unit's roster (the unit portal's upload or <c>import roster --unit</c>).</summary>
    Unit,
    /// <summary>经办: staff at a service point, or a clerk's enrolment list.</summary>
    Clerk,
    /// <summary>本人: the member through self-service.</summary>
    Member,
}

public enum BankChangeState
{
    /// <summary>待生效: waiting for the waiting time or a second person's check; in effect once the waiting time is over.</summary>
    Pending,
    /// <summary>已复核: a clerk other than who made it checked it with the member.</summary>
    Confirmed,
    /// <summary>已撤销: a clerk undid it; the account before it is the member's again.</summary>
    Cancelled,
    /// <summary>已被取代: a newer change came while this one was waiting.</summary>
    Superseded,
}

/// <summary>
/// A change of a member's bank account (银行卡变更), kept with who made it, through which door and
/// why. The member's record holds the new account at once; a batch pays it only once the change is
/// in effect: after <see cref="EffectiveAt"/> (the fund's waiting time) or a clerk's check, whichever
/// comes first. Until then the member's claims wait. The account before the change is kept whole,
/// because cancelling puts it back; the new one is on the member, so only its last four digits are
/// kept here.
/// </summary>
public sealed class BankAccountChange
{
    /// <summary>A batch marks an account 新账户 for this long after its change.</summary>
    public static readonly TimeSpan NewFor = TimeSpan.FromDays(30);

    private BankAccountChange()
    {
    }

    internal BankAccountChange(long memberId, string? oldBankName, string? oldAccount, string? newBankName, string newAccount,
        BankChangeSource source, string reason, string madeBy, string door, DateTime madeAt, DateTime effectiveAt, string? toldPhone)
    {
        MemberId = memberId;
        OldBankName = oldBankName;
        OldAccount = oldAccount;
        NewBankName = newBankName;
        NewAccountTail = newAccount[^4..];
        Source = source;
        Reason = reason;
        MadeBy = madeBy;
        Door = door;
        MadeAt = madeAt;
        EffectiveAt = effectiveAt;
        ToldPhone = toldPhone;
    }

    public long Id { get; private set; }

    public long MemberId { get; private set; }

    public string? OldBankName { get; private set; }

    /// <summary>The whole number, to put back on cancelling; shown cut to its last four digits.</summary>
    public string? OldAccount { get; private set; }

    public string? NewBankName { get; private set; }

    public string NewAccountTail { get; private set; } = "";

    public BankChangeSource Source { get; private set; }

    public string Reason { get; private set; } = "";

    public string MadeBy { get; private set; } = "";

    /// <summary>The door and address the change came through (网页 10.0.0.8, 命令行 …).</summary>
    public string Door { get; private set; } = "";

    public DateTime MadeAt { get; private set; }

    /// <summary>When the waiting time is over and the new account is paid without a check.</summary>
    public DateTime EffectiveAt { get; private set; }

    /// <summary>The mobile number the SMS went to: the one on file before the request; null when there was none.</summary>
    public string? ToldPhone { get; private set; }

    public BankChangeState State { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTime? DecidedAt { get; private set; }

    public string? DecisionReason { get; private set; }

    /// <summary>Whether a batch made at <paramref name="now"/> must still hold the member's claims back.</summary>
    public bool Waiting(DateTime now) => State == BankChangeState.Pending && now < EffectiveAt;

    public string Subject => $"银行卡变更 {Id}";

    /// <summary>What it changed, the numbers cut to their last four digits.</summary>
    public string Description => $"{Masks.Account(OldBankName, OldAccount)} → {NewBankName} 尾号 {NewAccountTail}";

    /// <summary>The state as a person reads it at <paramref name="now"/>: a pending change whose waiting time is over is in effect.</summary>
    public string StateName(DateTime now) =>
        State == BankChangeState.Pending && !Waiting(now) ? "等待期满已生效" : Names.Of(State);


    /// <summary>复核: a clerk other than who made the change checked it; the new account is paid from now.</summary>
    public void Confirm(string by, DateTime at) => Decide(BankChangeState.Confirmed, by, at, null);

    /// <summary>撤销: the caller puts the old account back on the member. Only while the change waits.</summary>
    public void Cancel(string by, DateTime at, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 200)
            throw new InvalidInputException(Subject, "撤销须写明原因（200 字以内）");
        if (State == BankChangeState.Pending && !Waiting(at))
            throw new InvalidInputException(Subject, "等待期已满，变更已生效，不能撤销；如非本人办理，请重新登记正确的银行卡");
        Decide(BankChangeState.Cancelled, by, at, reason.Trim());
    }

    /// <summary>A newer change of the same member came while this one waited.</summary>
    internal void Supersede(DateTime at) => (State, DecidedAt, DecisionReason) = (BankChangeState.Superseded, at, "由新的变更取代");

    private void Decide(BankChangeState state, string by, DateTime at, string? reason)
    {
        if (State != BankChangeState.Pending)
            throw new InvalidInputException(Subject, State == BankChangeState.Superseded ? "已被新的变更取代" : $"已由 {DecidedBy} 处理，现为“{Names.Of(State)}”");
        if (string.IsNullOrWhiteSpace(by) || by == MadeBy)
            throw new InvalidInputException(Subject, $"由 {MadeBy} 办理，须由另一名经办人员{(state == BankChangeState.Confirmed ? "复核" : "撤销")}");
        (State, DecidedBy, DecidedAt, DecisionReason) = (state, by, at, reason);
    }
}

internal sealed class BankAccountChangeConfiguration : IEntityTypeConfiguration<BankAccountChange>
{
    public void Configure(EntityTypeBuilder<BankAccountChange> builder)
    {
        builder.ToTable("bank_account_changes");
        builder.Ignore(c => c.Subject);
        builder.Ignore(c => c.Description);
        builder.Property(c => c.OldBankName).HasMaxLength(200);
        builder.Property(c => c.OldAccount).HasMaxLength(40);
        builder.Property(c => c.NewBankName).HasMaxLength(200);
        builder.Property(c => c.NewAccountTail).HasMaxLength(4);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Reason).HasMaxLength(200);
        builder.Property(c => c.MadeBy).HasMaxLength(50);
        builder.Property(c => c.Door).HasMaxLength(64);
        builder.Property(c => c.ToldPhone).HasMaxLength(20);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.DecidedBy).HasMaxLength(50);
        builder.HasOne<Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.MemberId, c.State });
    }
}
