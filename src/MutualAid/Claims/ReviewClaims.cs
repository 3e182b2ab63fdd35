using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Claims;

/// <summary>
/// 复核: approving, rejecting with a coded reason, returning for correction, reopening. Each is
/// one business event with all its effects in one unit of work: the claim's guarded transition,
/// the expense posted on approval, the SMS in the outbox, the audit line with the actor. The
/// claim's version makes it take effect once when sent twice at the same moment.
/// </summary>
public sealed class ReviewClaims(MutualAidDbContext db, TimeProvider clock)
{
    public Task<Claim> ApproveAsync(string number, Actor actor, string? note, CancellationToken cancellationToken) =>
        ApproveAsync(number, actor, note, duplicatesChecked: false, cancellationToken);

    /// <summary>
    /// 复核通过. A claim that may be the same event as another (<see cref="SameEvent"/>; a settlement
    /// already matched to it does not count) is approved only when the reviewer says they checked.
    /// </summary>
    public Task<Claim> ApproveAsync(string number, Actor actor, string? note, bool duplicatesChecked, CancellationToken cancellationToken) =>
        ActAsync(number, actor, "复核通过", (claim, at) => { claim.Approve(actor.User, at, note); return note; }, cancellationToken,
            duplicatesChecked ? null : RequireNoDuplicateAsync);

    /// <summary>驳回 with a code of <see cref="ReviewReasons.Rejection"/> and, for 其他, the reviewer's words.</summary>
    public Task<Claim> RejectAsync(string number, Actor actor, string? code, string? note, CancellationToken cancellationToken) =>
        ActAsync(number, actor, "驳回", (claim, at) => Coded(claim, ReviewReasons.Rejection, code, note, reason => claim.Reject(actor.User, at, reason)), cancellationToken);

    /// <summary>退回补正 with a code of <see cref="ReviewReasons.Return"/> and, for 其他, what is to be corrected.</summary>
    public Task<Claim> ReturnAsync(string number, Actor actor, string? code, string? note, CancellationToken cancellationToken) =>
        ActAsync(number, actor, "退回补正", (claim, at) => Coded(claim, ReviewReasons.Return, code, note, reason => claim.Return(actor.User, at, reason)), cancellationToken);

    /// <summary>
    /// A decision with a coded reason. A claim already decided says so before a missing reason is
    /// asked for (a second click's form has no fields), so the reason is read only for one in review.
    /// </summary>
    private static string Coded(Claim claim, IReadOnlyList<ReviewReason> list, string? code, string? note, Action<string> decide)
    {
        var reason = claim.State == ClaimState.PendingReview ? ReviewReasons.Describe(list, claim.Number, code, note) : "";
        decide(reason);
        return reason;
    }

    public Task<Claim> ReopenAsync(string number, Actor actor, string reason, CancellationToken cancellationToken) =>
        ActAsync(number, actor, "重新受理", (claim, at) => { claim.Reopen(actor.User, at, reason); return reason; }, cancellationToken);

    private async Task RequireNoDuplicateAsync(Claim claim, CancellationToken cancellationToken)
    {
        if (claim.State != ClaimState.PendingReview)
            return;
        var others = (await SameEvent.AmongAsync(db, [claim], cancellationToken)).GetValueOrDefault(claim.Id, []).Where(o => o.MatchedToId != claim.Id).ToList();
        if (others.Count > 0)
            throw new InvalidInputException(claim.Number,
                $"可能与 {string.Join("、", others.Select(o => o.Describe()))}是同一事件：核对后确认不是重复给付，方可审批");
    }

    /// <param name="act">The transition; it gives the words the audit line keeps.</param>
    private async Task<Claim> ActAsync(string number, Actor actor, string action, Func<Claim, DateTime, string?> act, CancellationToken cancellationToken,
        Func<Claim, CancellationToken, Task>? check = null)
    {
        var id = Claim.IdOf(number);
        var claim = await db.Claims.Include(c => c.Lines).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (claim is null || claim.Number != number)
            throw new InvalidInputException(number, "没有这个编号的理赔");
        if (check is not null)
            await check(claim, cancellationToken);
        var now = clock.Now();
        var before = claim.State;
        var why = act(claim, now);
        var member = await db.Members.Where(m => m.Id == claim.MemberId).Select(m => new { m.Name, m.Phone }).SingleAsync(cancellationToken);
        if (Notice.ForClaim(claim, member.Name, member.Phone, now) is { } notice)
            db.Notices.Add(notice);
        if (claim.State == ClaimState.Approved)
            await new Ledger.Books(db).ApprovedAsync([claim], now, cancellationToken);
        db.Audit(actor, now, action, number, $"{Names.Of(before)} → {Names.Of(claim.State)}{(why is null ? "" : $"：{why}")}");
        await db.SaveChangesAsync(cancellationToken);
        return claim;
    }
}
