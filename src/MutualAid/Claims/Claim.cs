using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Claims;

public enum ClaimSource
{
    /// <summary>无感办: opened from an imported settlement.</summary>
    Automatic,
    /// <summary>Taken at a service point or online.</summary>
    Manual,
}

public enum ClaimState
{
    /// <summary>受理.</summary>
    Submitted,
    /// <summary>待复核.</summary>
    PendingReview,
    /// <summary>已审批.</summary>
    Approved,
    /// <summary>已支付.</summary>
    Paid,
    /// <summary>驳回.</summary>
    Rejected,
    /// <summary>退回.</summary>
    Returned,
    /// <summary>无应付: computed and nothing is payable; kept with its reasons, never dropped.</summary>
    NothingPayable,
    /// <summary>已冲销: its settlement was refunded (红冲) before payment; it no longer counts.</summary>
    Reversed,
}

/// <summary>
/// One event of one member and what each plan pays for it (理赔). The lines keep every
/// benefit computed, paying or not, with the explanation; a plan that paid nothing has a line
/// without benefit that says why.
/// </summary>
public sealed class Claim
{
    /// <summary>Who computes automatic claims: no person, so any person may review them.</summary>
    public const string System = "system";

    private readonly List<ClaimLine> _lines = [];
    private readonly List<ClaimTransition> _transitions = [];
    private readonly List<ClaimDocument> _documents = [];

    private Claim()
    {
    }

    public Claim(long memberId, long? settlementId, ClaimSource source, EventKinds kind, DateOnly eventDate, DateTime createdAt,
        string enteredBy = System, int promiseDays = 7, DateOnly? admission = null)
    {
        StartDate = EventSpan.StartOf(kind, eventDate, admission);
        EnteredBy = enteredBy;
        DueBy = createdAt.AddDays(promiseDays);
        MemberId = memberId;
        SettlementId = settlementId;
        Source = source;
        Kind = kind;
        EventDate = eventDate;
        CreatedAt = createdAt;
        State = ClaimState.Submitted;
    }

    public long Id { get; private set; }

    /// <summary>The number people quote: C, the event's year, the id (C2026000123).</summary>
    public string Number => NumberOf(EventDate, Id);

    public static string NumberOf(DateOnly eventDate, long id) => $"C{eventDate.Year}{id:D6}";

    /// <summary>The id inside a claim number, or 0 when it is not one; the caller still compares <see cref="Number"/>.</summary>
    public static long IdOf(string number) =>
        number.Length > 5 && number[0] == 'C' && long.TryParse(number.AsSpan(5), out var id) ? id : 0;

    public long MemberId { get; private set; }

    public long? SettlementId { get; private set; }

    public ClaimSource Source { get; private set; }

    public EventKinds Kind { get; private set; }

    public DateOnly EventDate { get; private set; }

    /// <summary>The event's first day: the admission of a stay, else <see cref="EventDate"/>.</summary>
    public DateOnly StartDate { get; private set; }

    /// <summary>The days the event takes, by which two claims are found to be the same event.</summary>
    public EventSpan Span => new(MemberId, Kind, StartDate, EventDate);

    /// <summary>For a settlement's claim: the manual claim of the same event it was matched to, and so pays nothing.</summary>
    public long? MatchedToId { get; private set; }

    public ClaimState State { get; private set; }

    public Money Total { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The promise: intake (or import) plus the scheme's days (7 unless it says).</summary>
    public DateTime DueBy { get; private set; }

    /// <summary>When the bank paid it; with <see cref="CreatedAt"/>, the days to payment.</summary>
    public DateTime? PaidAt { get; private set; }

    /// <summary>Who entered the claim (a clerk), or <see cref="System"/> for an automatic one.</summary>
    public string EnteredBy { get; private set; } = System;

    /// <summary>单位代办: the unit whose union officer filed the manual claim for its worker (<see cref="EnteredBy"/> is the officer); null otherwise.</summary>
    public long? ThroughUnitId { get; private set; }

    /// <summary>What the clerk entered for a manual claim; null for an automatic one (its settlement says it).</summary>
    public ClaimEvent? Details { get; private set; }

    public IReadOnlyList<ClaimDocument> Documents => _documents;

    /// <summary>The changes of state stored as rows: who, when, why. <see cref="History"/> is what people read.</summary>
    public IReadOnlyList<ClaimTransition> Transitions => _transitions;

    /// <summary>自动审批: the limit an automatic claim was approved by rule under, at intake; null when a person decides.</summary>
    public Money? ApprovedByRuleUpTo { get; private set; }

    /// <summary>
    /// Every change of state, oldest first. An automatic claim's intake and its approval by rule are
    /// not stored as rows (the feed writes a million claims at once): its own columns say them, and
    /// they come first. A claim stored with its intake row (matched to a manual claim, or written
    /// before the rows were dropped) has none derived.
    /// </summary>
    public IReadOnlyList<ClaimTransition> History
    {
        get
        {
            if (Source != ClaimSource.Automatic || _transitions.Any(t => t.From == ClaimState.Submitted))
                return _transitions;
            var taken = ApprovedByRuleUpTo is not null ? ClaimState.PendingReview : _transitions.Count > 0 ? _transitions[0].From : State;
            List<ClaimTransition> history = [new(ClaimState.Submitted, taken, EnteredBy, CreatedAt, AutomaticIntake)];
            if (ApprovedByRuleUpTo is { } limit)
                history.Add(new(ClaimState.PendingReview, ClaimState.Approved, System, CreatedAt, $"自动审批：不超过 {limit.ToDisplayString()} 元"));
            return [.. history, .. _transitions];
        }
    }

    private const string AutomaticIntake = "医保结算自动受理";

    public IReadOnlyList<ClaimLine> Lines => _lines;

    /// <summary>Open and not yet paid: the claims the promise is about.</summary>
    public static readonly ClaimState[] Open = [ClaimState.Submitted, ClaimState.PendingReview, ClaimState.Approved, ClaimState.Returned];

    /// <summary>Reverses the claim when its settlement is refunded; a paid claim is recovered instead, never reversed.</summary>
    public void Reverse(DateTime at)
    {
        if (State is ClaimState.Paid or ClaimState.Reversed)
            throw Refused("冲销");
        Move(ClaimState.Reversed, System, at, "医保结算已红冲");
    }

    /// <summary>复核通过. The reviewer is never who entered the claim (maker-checker); automatic ones any person may approve.</summary>
    public void Approve(string reviewer, DateTime at, string? note = null)
    {
        Require(ClaimState.PendingReview, "审批");
        RequireSecondPerson(reviewer);
        Move(ClaimState.Approved, reviewer, at, note);
    }

    /// <summary>
    /// Approved by the scheme's rule: an automatic claim up to the amount the scheme lets pass without a person. Only at
    /// intake, so the step's time is the claim's; it is the claim's column, not a stored row (<see cref="History"/>).
    /// </summary>
    public void ApproveByRule(Money limit)
    {
        Require(ClaimState.PendingReview, "按规则审批");
        if (Source != ClaimSource.Automatic || Total > limit)
            throw new InvalidInputException(Number, $"合计 {Total.ToDisplayString()} 元，须人工复核");
        if (_transitions.Count > 0)
            throw Refused("按规则审批");
        ApprovedByRuleUpTo = limit;
        State = ClaimState.Approved;
    }

    /// <summary>驳回 with a coded reason.</summary>
    /// <summary>驳回, with its coded reason (<see cref="ReviewReasons"/>).</summary>
    public void Reject(string reviewer, DateTime at, string reason)
    {
        Require(ClaimState.PendingReview, "驳回");
        RequireSecondPerson(reviewer);
        if (string.IsNullOrWhiteSpace(reason))
            throw new InvalidInputException(Number, "驳回须给出原因");
        Move(ClaimState.Rejected, reviewer, at, reason);
    }

    /// <summary>退回 for correction (a manual claim's documents or amounts).</summary>
    public void Return(string reviewer, DateTime at, string reason)
    {
        Require(ClaimState.PendingReview, "退回");
        RequireSecondPerson(reviewer);
        Move(ClaimState.Returned, reviewer, at, reason);
    }

    /// <summary>已支付: the bank paid it (recorded by payments).</summary>
    public void MarkPaid(string by, DateTime at, string? reference = null)
    {
        Require(ClaimState.Approved, "支付");
        PaidAt = at;
        Move(ClaimState.Paid, by, at, reference);
    }

    /// <summary>A manual claim: what the clerk entered and the documents, before it is computed.</summary>
    public void Enter(ClaimEvent details, IEnumerable<ClaimDocument> documents, long? throughUnit = null)
    {
        if (Source != ClaimSource.Manual || State != ClaimState.Submitted)
            throw new InvalidInputException(Number, "不是待计算的人工理赔");
        Details = details.Copy();
        ThroughUnitId = throughUnit;
        _documents.AddRange(documents);
    }

    /// <summary>补正: a returned manual claim comes back with new amounts or documents, computed again, for review again.</summary>
    public void Correct(string clerk, DateTime at, ClaimEvent details, IEnumerable<ClaimDocument> added, IEnumerable<ClaimLine> lines, string reason)
    {
        Require(ClaimState.Returned, "补正");
        if (string.IsNullOrWhiteSpace(clerk) || clerk == System)
            throw new InvalidInputException(Number, "补正须由具名的经办人办理");
        Details = details.Copy();
        StartDate = EventSpan.StartOf(Kind, EventDate, details.AdmissionDate);
        _documents.AddRange(added);
        _lines.Clear();
        _lines.AddRange(lines);
        Total = Money.Sum(_lines.Select(l => l.Amount));
        Move(Total > Money.Zero ? ClaimState.PendingReview : ClaimState.NothingPayable, clerk, at, reason);
    }

    /// <summary>
    /// A settlement for an event already claimed by hand: it is matched to that claim and pays
    /// nothing (one stay, one payout); its one line says why and does not count towards caps.
    /// </summary>
    public void MatchTo(long manualClaimId, string manualNumber)
    {
        Require(ClaimState.Submitted, "匹配");
        if (Source != ClaimSource.Automatic)
            throw new InvalidOperationException("Only a settlement's claim is matched to a manual one");
        MatchedToId = manualClaimId;
        var why = $"同一事件已由人工理赔 {manualNumber} 受理，不重复给付";
        _lines.Add(new ClaimLine("", null, null, Money.Zero, Money.Zero, 0, false, "duplicate", why));
        Move(ClaimState.NothingPayable, EnteredBy, CreatedAt, why);
    }

    /// <summary>Reopens a rejected claim for review again, with the reason.</summary>
    public void Reopen(string user, DateTime at, string reason)
    {
        Require(ClaimState.Rejected, "重新受理");
        Move(ClaimState.PendingReview, user, at, reason);
    }

    private void Require(ClaimState state, string action)
    {
        if (State != state)
            throw Refused(action);
    }

    /// <summary>An action the claim's state refuses, saying who brought it there: what a second click or a second person reads.</summary>
    private InvalidInputException Refused(string action)
    {
        var by = History is [.., { By: var who }] && who != System ? $"已由 {who} 处理，" : "";
        return new InvalidInputException(Number, $"{by}现为“{Names.Of(State)}”，不能{action}");
    }

    private void RequireSecondPerson(string reviewer)
    {
        if (string.IsNullOrWhiteSpace(reviewer) || reviewer == System)
            throw new InvalidInputException(Number, "复核人须为具名的工作人员");
        if (reviewer == EnteredBy)
            throw new InvalidInputException(Number, $"由 {EnteredBy} 录入，须由另一人复核");
        if (History.Any(t => t.By == reviewer && t.To == ClaimState.PendingReview))
            throw new InvalidInputException(Number, $"由 {reviewer} 补正或重新受理，须由另一人复核");
    }

    private void Move(ClaimState to, string by, DateTime at, string? why)
    {
        _transitions.Add(new ClaimTransition(State, to, by, at, why));
        State = to;
    }

    /// <summary>
    /// Takes the computed lines; a claim that pays something waits for review, one that pays nothing
    /// is closed. The first line of its history: taken (受理) by who entered it, when; an automatic
    /// claim's is derived (<see cref="History"/>), not stored.
    /// </summary>
    public void Computed(IEnumerable<ClaimLine> lines)
    {
        Require(ClaimState.Submitted, "重新计算");
        _lines.AddRange(lines);
        Total = Money.Sum(_lines.Select(l => l.Amount));
        var taken = Total > Money.Zero ? ClaimState.PendingReview : ClaimState.NothingPayable;
        if (Source == ClaimSource.Automatic)
            State = taken;
        else
            Move(taken, EnteredBy, CreatedAt, "受理");
    }
}

/// <summary>One change of a claim's state: from, to, who, when and why.</summary>
public sealed class ClaimTransition
{
    private ClaimTransition()
    {
    }

    public ClaimTransition(ClaimState from, ClaimState to, string by, DateTime at, string? reason)
    {
        From = from;
        To = to;
        By = by;
        At = at;
        Reason = reason;
    }

    public long Id { get; private set; }

    public long ClaimId { get; private set; }

    public ClaimState From { get; private set; }

    public ClaimState To { get; private set; }

    public string By { get; private set; } = "";

    public DateTime At { get; private set; }

    public string? Reason { get; private set; }

    internal void BelongTo(long claimId) => ClaimId = claimId;
}

/// <summary>
/// One benefit's answer (or, without <see cref="BenefitCode"/>, one plan's denial) with what it
/// adds to the period's accumulated base and days, and the explanation in Chinese.
/// </summary>
public sealed class ClaimLine
{
    private ClaimLine()
    {
    }

    public ClaimLine(string planCode, string? benefitCode, long? enrollmentId, Money amount, Money baseAdded, int daysAdded, bool counts, string? reason, string explanation,
        long? coverVersionId = null)
    {
        PlanCode = planCode;
        BenefitCode = benefitCode;
        EnrollmentId = enrollmentId;
        CoverVersionId = coverVersionId;
        Amount = amount;
        BaseAdded = baseAdded;
        DaysAdded = daysAdded;
        Counts = counts;
        Reason = reason;
        Explanation = explanation;
    }

    public long Id { get; private set; }

    public long ClaimId { get; private set; }

    public string PlanCode { get; private set; } = "";

    public string? BenefitCode { get; private set; }

    /// <summary>The enrollment period the line counts against.</summary>
    public long? EnrollmentId { get; private set; }

    /// <summary>
    /// A line of a plan covering all members (全体会员保障, no enrolment): the stored plan version of
    /// the year it counts in, which names the scheme and the plan; the year is the event's.
    /// </summary>
    public long? CoverVersionId { get; private set; }

    public Money Amount { get; private set; }

    public Money BaseAdded { get; private set; }

    public int DaysAdded { get; private set; }

    /// <summary>True when the benefit was computed: the line counts towards caps, once-only sums and accumulated bases.</summary>
    public bool Counts { get; private set; }

    /// <summary>Why nothing (or less) was paid: a denial of the spec (waiting_period…) or the benefit's reason.</summary>
    public string? Reason { get; private set; }

    public string Explanation { get; private set; } = "";

    internal void BelongTo(long claimId) => ClaimId = claimId;
}

internal sealed class ClaimConfiguration : IEntityTypeConfiguration<Claim>, IEntityTypeConfiguration<ClaimLine>
{
    public void Configure(EntityTypeBuilder<Claim> builder)
    {
        builder.ToTable("claims");
        builder.Ignore(c => c.Number);
        builder.Property(c => c.Source).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.ClaimId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Lines).HasField("_lines");
        builder.Property(c => c.EnteredBy).HasMaxLength(50);
        builder.OwnsMany(c => c.Transitions, t =>
        {
            t.ToTable("claim_transitions");
            t.WithOwner().HasForeignKey(x => x.ClaimId);
            t.HasKey(x => x.Id);
            t.Property(x => x.From).HasConversion<string>().HasMaxLength(20);
            t.Property(x => x.To).HasConversion<string>().HasMaxLength(20);
            t.Property(x => x.By).HasMaxLength(50);
            t.Property(x => x.Reason).HasMaxLength(500);
        });
        builder.Navigation(c => c.Transitions).HasField("_transitions");
        builder.Ignore(c => c.History);
        builder.OwnsOne(c => c.Details, d =>
        {
            d.ToTable("claim_events");
            d.WithOwner().HasForeignKey("ClaimId");
            d.Property(x => x.Diagnoses).HasMaxLength(200);
            d.Property(x => x.Grade).HasMaxLength(10);
            d.Property(x => x.Hospital).HasMaxLength(200);
            d.Property(x => x.Procedures).HasConversion<string>().HasMaxLength(50);
        });
        builder.HasMany(c => c.Documents).WithOne().HasForeignKey(x => x.ClaimId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Documents).HasField("_documents");
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(c => c.MemberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Settlements.Settlement>().WithMany().HasForeignKey(c => c.SettlementId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.SettlementId).IsUnique();
        builder.Ignore(c => c.Span);
        builder.HasOne<Claim>().WithMany().HasForeignKey(c => c.MatchedToId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(c => c.ThroughUnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.MemberId, c.EventDate });
        // A state's claims in id order (the payment queue, the review queue) without sorting them; due dates by state
        // (overdue = open and past due: finished claims keep their due date).
        builder.HasIndex(c => new { c.State, c.Id });
        // The home page's months and paid total read this index alone, never the claims' rows.
        builder.HasIndex(c => new { c.State, c.EventDate, c.Total });
        builder.HasIndex(c => new { c.State, c.DueBy });
        // The open claims newest first (the overdue list): without it PostgreSQL walks every claim backwards by id,
        // expecting open and overdue ones to be common (0.43 s for 35 on the city of a million; 36 ms with it).
        builder.HasIndex(c => c.Id).HasFilter($"state IN ({string.Join(", ", Claim.Open.Select(s => $"'{s}'"))})").HasDatabaseName("ix_claims_open");
    }

    public void Configure(EntityTypeBuilder<ClaimLine> builder)
    {
        builder.ToTable("claim_lines");
        builder.Property(l => l.PlanCode).HasMaxLength(50);
        builder.Property(l => l.BenefitCode).HasMaxLength(50);
        builder.Property(l => l.Reason).HasMaxLength(40);
        builder.Property(l => l.Explanation).HasMaxLength(4000);
        builder.HasOne<Enrollment.Enrollment>().WithMany().HasForeignKey(l => l.EnrollmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Schemes.StoredPlanVersion>().WithMany().HasForeignKey(l => l.CoverVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
