using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Claims;

namespace MutualAid.Notifications;

public enum NoticeTopic
{
    ClaimSubmitted,
    ClaimApproved,
    ClaimRejected,
    ClaimReturned,
    ClaimPaid,
    PremiumPaid,
    BankAccountChanged,
    ReliefApproved,
    ReliefPaid,
}

/// <summary>
/// An SMS in the outbox: written in the same transaction as the change it tells of, sent
/// afterwards by <see cref="NoticeDispatcher"/>, retried with backoff until delivered or given
/// up after <see cref="NoticeDispatcher.MaxAttempts"/>. Its id is the idempotency key the
/// sender passes on, so a retry after a lost answer is not a second message.
/// </summary>
public sealed class Notice
{
    private Notice()
    {
    }

    public Notice(long memberId, string phone, NoticeTopic topic, long? claimId, string text, DateTime createdAt)
    {
        MemberId = memberId;
        Phone = phone;
        Topic = topic;
        ClaimId = claimId;
        Text = text;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
    }

    public long Id { get; private set; }

    public long MemberId { get; private set; }

    public string Phone { get; private set; } = "";

    public NoticeTopic Topic { get; private set; }

    public long? ClaimId { get; private set; }

    public string Text { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    public DateTime? SentAt { get; private set; }

    /// <summary>Set when the sender has failed <see cref="NoticeDispatcher.MaxAttempts"/> times: a person must look.</summary>
    public DateTime? GaveUpAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Which dispatcher holds the notice, until when: another takes it only after the lease ends.</summary>
    public Guid? LeaseOwner { get; private set; }

    public DateTime? LeaseUntil { get; private set; }

    /// <summary>
    /// The SMS for the claim's new state, or null when members are not told of that state (nothing
    /// payable, reversed) or the member has no mobile number (the claim page still tells them).
    /// </summary>
    public static Notice? ForClaim(Claim claim, string name, string? phone, DateTime at)
    {
        if (string.IsNullOrWhiteSpace(phone) || TopicOf(claim.State) is not { } topic)
            return null;
        var text = topic switch
        {
            NoticeTopic.ClaimSubmitted => $"您的互助保障理赔 {claim.Number} 已受理，应付 {claim.Total.ToDisplayString()} 元，复核后支付。",
            NoticeTopic.ClaimApproved => $"您的互助保障理赔 {claim.Number} 已审批，{claim.Total.ToDisplayString()} 元将于近日支付到您的银行卡。",
            NoticeTopic.ClaimRejected => $"您的互助保障理赔 {claim.Number} 未获通过：{ReviewReasons.Words(claim.History[^1].Reason)}。如有疑问请致电服务网点。",
            NoticeTopic.ClaimReturned => $"您的互助保障理赔 {claim.Number} 需要补正：{ReviewReasons.Words(claim.History[^1].Reason)}。请到服务网点或线上补交。",
            NoticeTopic.ClaimPaid => $"您的互助保障理赔 {claim.Number} 的 {claim.Total.ToDisplayString()} 元已支付到您的银行卡，请查收。",
            _ => throw new InvalidOperationException(topic.ToString()),
        };
        return new Notice(claim.MemberId, phone, topic, claim.Id, $"【职工互助保障】{name}您好，{text}", at);
    }

    /// <summary>The SMS for a member's own premium received online, with the day their cover starts; null without a mobile number.</summary>
    public static Notice? ForPremium(Members.Member member, Common.Money amount, DateOnly? coveredFrom, DateTime at) =>
        string.IsNullOrWhiteSpace(member.Phone) ? null
        : new Notice(member.Id, member.Phone, NoticeTopic.PremiumPaid, null,
            $"【职工互助保障】{member.Name}您好，已收到您缴纳的会费 {amount.ToDisplayString()} 元" + (coveredFrom is { } day ? $"，保障自 {day:yyyy-MM-dd} 起。" : "。"), at);

    /// <summary>
    /// The SMS that the member's bank card was changed, to the mobile number held before the request
    /// (whoever changed the card may have changed the number too); null when there was none.
    /// </summary>
    public static Notice? ForBankAccountChange(Members.Member member, string? oldPhone, Members.BankAccountChange change, Auditing.Actor actor)
    {
        if (string.IsNullOrWhiteSpace(oldPhone))
            return null;
        var by = change.Source switch
        {
            Members.BankChangeSource.Unit => $"所在单位（{actor.User}，花名册）",
            Members.BankChangeSource.Clerk => $"工作人员 {actor.User}",
            _ => "您的账户（网上自助）",
        };
        return new Notice(member.Id, oldPhone, NoticeTopic.BankAccountChanged, null,
            $"【职工互助保障】{member.Name}您好，您的互助金收款银行卡已由{by}于 {Common.BeijingTime.Local(change.MadeAt):yyyy-MM-dd HH:mm} 变更为{change.NewBankName} 尾号 {change.NewAccountTail}，"
            + $"经办复核后或 {Common.BeijingTime.Day(change.EffectiveAt):yyyy-MM-dd} 起生效。如非本人办理，请即致电服务网点。", change.MadeAt);
    }

    /// <summary>The SMS that second-round relief was approved or paid; null without a mobile number.</summary>
    public static Notice? ForRelief(Relief.ReliefApplication application, string name, string? phone, DateTime at)
    {
        if (string.IsNullOrWhiteSpace(phone))
            return null;
        var (topic, text) = application.State switch
        {
            Relief.ReliefState.Approved => (NoticeTopic.ReliefApproved, $"您的二次救助申请 {application.Number} 已核准，救助金 {application.Amount.ToDisplayString()} 元将于近日发放到您的银行卡。"),
            Relief.ReliefState.Paid => (NoticeTopic.ReliefPaid, $"您的二次救助金 {application.Amount.ToDisplayString()} 元（{application.Number}）已发放到您的银行卡，请查收。"),
            _ => throw new InvalidOperationException(application.State.ToString()),
        };
        return new Notice(application.MemberId, phone, topic, null, $"【职工互助保障】{name}您好，{text}", at);
    }

    private static NoticeTopic? TopicOf(ClaimState state) => state switch
    {
        ClaimState.PendingReview => NoticeTopic.ClaimSubmitted,
        ClaimState.Approved => NoticeTopic.ClaimApproved,
        ClaimState.Rejected => NoticeTopic.ClaimRejected,
        ClaimState.Returned => NoticeTopic.ClaimReturned,
        ClaimState.Paid => NoticeTopic.ClaimPaid,
        _ => null,
    };
}

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> builder)
    {
        builder.ToTable("notices");
        builder.Property(n => n.Phone).HasMaxLength(20);
        builder.Property(n => n.Topic).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.Text).HasMaxLength(500);
        builder.Property(n => n.LastError).HasMaxLength(500);
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(n => n.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Claim>().WithMany().HasForeignKey(n => n.ClaimId).OnDelete(DeleteBehavior.Restrict);
        // The dispatcher's question: what is due and not sent.
        builder.HasIndex(n => new { n.SentAt, n.GaveUpAt, n.NextAttemptAt });
        // The outbox page's states (failed, pending) without reading every SMS not yet sent.
        builder.HasIndex(n => new { n.SentAt, n.LastError });
    }
}
