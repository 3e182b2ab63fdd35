using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Claims;

/// <summary>
/// 复核: approving, rejecting with a coded reason, returning for correction, reopening. The claim
/// guards its own states and the second person; a refused action comes back as invalid input
/// naming the claim.
/// </summary>
public sealed class ReviewClaims(MutualAidDbContext db, TimeProvider clock)
{
    public Task<Claim> ApproveAsync(string number, string reviewer, string? note, CancellationToken cancellationToken) =>
        ActAsync(number, (claim, at) => claim.Approve(reviewer, at, note), cancellationToken);

    public Task<Claim> RejectAsync(string number, string reviewer, string code, string reason, CancellationToken cancellationToken) =>
        ActAsync(number, (claim, at) => claim.Reject(reviewer, at, code, reason), cancellationToken);

    public Task<Claim> ReturnAsync(string number, string reviewer, string reason, CancellationToken cancellationToken) =>
        ActAsync(number, (claim, at) => claim.Return(reviewer, at, reason), cancellationToken);

    public Task<Claim> ReopenAsync(string number, string user, string reason, CancellationToken cancellationToken) =>
        ActAsync(number, (claim, at) => claim.Reopen(user, at, reason), cancellationToken);

    private async Task<Claim> ActAsync(string number, Action<Claim, DateTime> act, CancellationToken cancellationToken)
    {
        var id = Claim.IdOf(number);
        var claim = await db.Claims.Include(c => c.Lines).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (claim is null || claim.Number != number)
            throw new InvalidInputException([new Problem(number, "没有这个编号的理赔")]);
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            act(claim, now);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new InvalidInputException([new Problem(number, e.Message)]);
        }
        // The SMS goes into the outbox in the same transaction as the change.
        var member = await db.Members.Where(m => m.Id == claim.MemberId).Select(m => new { m.Name, m.Phone }).SingleAsync(cancellationToken);
        if (Notice.ForClaim(claim, member.Name, member.Phone, now) is { } notice)
            db.Notices.Add(notice);
        // An approval posts its entry with it: the expense of each plan, owed to the member.
        if (claim.State == ClaimState.Approved)
            await new Ledger.Books(db).ApprovedAsync([claim], now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return claim;
    }
}
