using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;

namespace MutualAid.Tests.Claims;

/// <summary>The claim's states and the second person (复核).</summary>
public sealed class ClaimTests
{
    private static readonly DateTime Now = new(2024, 6, 20, 8, 0, 0, DateTimeKind.Utc);

    private static Claim Pending(string enteredBy = Claim.System, decimal amount = 2600, ClaimSource source = ClaimSource.Automatic)
    {
        var claim = new Claim(1, null, source, EventKinds.Hospitalization, new DateOnly(2024, 6, 10), Now, enteredBy);
        claim.Computed([new ClaimLine("INPATIENT", "SECOND_REIMBURSE", 1, Money.FromYuan(amount), Money.Zero, 0, true, null, "本次给付")]);
        return claim;
    }

    [Fact]
    public void Approve_ByASecondPerson_RecordsWhoWhenAndWhy()
    {
        var claim = Pending(enteredBy: "clerk1");

        claim.Approve("reviewer1", Now, "材料齐全");

        Assert.Equal(ClaimState.Approved, claim.State);
        Assert.Equal(2, claim.History.Count);
        var transition = Assert.Single(claim.Transitions);
        Assert.Same(transition, claim.History[^1]);
        Assert.Equal((ClaimState.PendingReview, ClaimState.Approved, "reviewer1", Now, "材料齐全"), (transition.From, transition.To, transition.By, transition.At, transition.Reason));
    }

    [Fact]
    public void Approve_ByWhoEnteredIt_IsNotPossible() =>
        Assert.Contains("须由另一人复核", Assert.Throws<InvalidInputException>(() => Pending(enteredBy: "clerk1").Approve("clerk1", Now)).Message);

    [Fact]
    public void Approve_WhenNotPendingReview_IsNotPossible()
    {
        var claim = Pending();
        claim.Approve("reviewer1", Now);

        var refused = Assert.Throws<InvalidInputException>(() => claim.Approve("reviewer2", Now));
        Assert.Equal("已由 reviewer1 处理，现为“已审批”，不能审批", Assert.Single(refused.Problems).Message);
    }

    [Fact]
    public void Approve_ByTheSystem_IsNotPossible() =>
        Assert.Throws<InvalidInputException>(() => Pending().Approve(Claim.System, Now));

    [Fact]
    public void Reject_WithoutACode_IsNotPossible() =>
        Assert.Throws<InvalidInputException>(() => Pending().Reject("reviewer1", Now, ""));

    [Fact]
    public void Reject_ThenReopen_ComesBackForReview()
    {
        var claim = Pending();
        claim.Reject("reviewer1", Now, "[R02] 不属于保障范围");

        claim.Reopen("clerk2", Now.AddDays(1), "补充了诊断证明");

        Assert.Equal(ClaimState.PendingReview, claim.State);
        Assert.Equal([ClaimState.PendingReview, ClaimState.Rejected, ClaimState.PendingReview], claim.History.Select(t => t.To));
        Assert.Equal("[R02] 不属于保障范围", claim.History[1].Reason);
    }

    [Theory]
    [InlineData(10000, ClaimSource.Automatic, true)]
    [InlineData(10000.01, ClaimSource.Automatic, false)]
    [InlineData(100, ClaimSource.Manual, false)]
    public void ApproveByRule_OnlyAutomaticClaimsUpToTheLimit(decimal amount, ClaimSource source, bool allowed)
    {
        var claim = Pending(amount: amount, source: source);

        var approve = () => claim.ApproveByRule(Money.FromYuan(10000));

        if (allowed)
        {
            approve();
            Assert.Equal(ClaimState.Approved, claim.State);
            // The intake and the approval are the claim's own columns, not stored rows; its history still tells both.
            Assert.Empty(claim.Transitions);
            Assert.Equal([(ClaimState.Submitted, ClaimState.PendingReview, Claim.System, Now, "医保结算自动受理"),
                    (ClaimState.PendingReview, ClaimState.Approved, Claim.System, Now, "自动审批：不超过 10,000.00 元")],
                claim.History.Select(t => (t.From, t.To, t.By, t.At, t.Reason)));
        }
        else
        {
            Assert.Throws<InvalidInputException>(approve);
        }
    }

    [Fact]
    public void Computed_NothingPayable_IsClosedNotReviewed()
    {
        var claim = new Claim(1, null, ClaimSource.Automatic, EventKinds.Hospitalization, new DateOnly(2024, 6, 10), Now);

        claim.Computed([new ClaimLine("INPATIENT", null, null, Money.Zero, Money.Zero, 0, false, "waiting_period", "事件发生在等待期内")]);

        Assert.Equal(ClaimState.NothingPayable, claim.State);
        Assert.Empty(claim.Transitions);
        var intake = Assert.Single(claim.History);
        Assert.Equal((ClaimState.Submitted, ClaimState.NothingPayable, Claim.System), (intake.From, intake.To, intake.By));
        Assert.Throws<InvalidInputException>(() => claim.Approve("reviewer1", Now));
    }

    [Fact]
    public void Computed_Manual_StoresItsIntake()
    {
        var claim = Pending(enteredBy: "clerk1", source: ClaimSource.Manual);

        var intake = Assert.Single(claim.Transitions);
        Assert.Equal((ClaimState.Submitted, ClaimState.PendingReview, "clerk1", "受理"), (intake.From, intake.To, intake.By, intake.Reason));
        Assert.Equal([intake], claim.History);
    }

    [Fact]
    public void ApproveByRule_AfterAPersonActed_IsNotPossible()
    {
        var claim = Pending();
        claim.Reject("reviewer1", Now, "[R02] 不属于保障范围");
        claim.Reopen("clerk2", Now, "补充了诊断证明");

        Assert.Throws<InvalidInputException>(() => claim.ApproveByRule(Money.FromYuan(10000)));
        Assert.Equal([ClaimState.PendingReview, ClaimState.Rejected, ClaimState.PendingReview], claim.History.Select(t => t.To));
    }
}
