using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Claims;

/// <summary>
/// 追回款到账: a member has paid back what a refunded settlement's claim paid them. Recorded once by
/// the bank's serial number, with its entry in the books (the bank against the receivable) in the
/// same transaction; the same repayment recorded again changes nothing.
/// </summary>
public sealed class CollectRecovery(MutualAidDbContext db, TimeProvider clock)
{
    public Task<Recovery> HandleAsync(string claimNumber, DateOnly on, string reference, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => HandleAttemptAsync(claimNumber, on, reference, actor, ct), cancellationToken);

    private async Task<Recovery> HandleAttemptAsync(string claimNumber, DateOnly on, string reference, Actor actor, CancellationToken cancellationToken)
    {
        reference = reference.Trim();
        var now = clock.Now();
        var problems = new List<Problem>();
        if (reference.Length == 0)
            problems.Add(new Problem("流水号", "不能为空：同一笔款项以流水号识别，不会重复入账"));
        if (on > BeijingTime.Day(now))
            problems.Add(new Problem("到账日期", $"{on:yyyy-MM-dd} 还没有到"));
        var claimId = Claim.IdOf(claimNumber);
        var claim = await db.Claims.AsNoTracking().SingleOrDefaultAsync(c => c.Id == claimId, cancellationToken);
        var recovery = claim?.Number == claimNumber ? await db.Recoveries.SingleOrDefaultAsync(r => r.ClaimId == claimId, cancellationToken) : null;
        if (recovery is null)
            problems.Add(new Problem(claimNumber, "这件理赔没有追回款"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        if (recovery!.State == RecoveryState.Recovered)
            return recovery.Reference == reference ? recovery
                : throw new InvalidInputException([new Problem(claimNumber, $"追回款已于 {recovery.RecoveredOn:yyyy-MM-dd} 收回（流水号 {recovery.Reference}）")]);
        if (await db.Recoveries.AnyAsync(r => r.Reference == reference, cancellationToken))
            throw new InvalidInputException([new Problem("流水号", $"{reference} 已用于另一笔追回款")]);

        recovery.Collect(on, reference);
        await new Ledger.Books(db).RecoveryCollectedAsync(recovery, claim!.MemberId, now, cancellationToken);
        db.Audit(actor, now, "追回款到账", claimNumber, $"{recovery.Amount.ToDisplayString()} 元，{on:yyyy-MM-dd}，流水号 {reference}");
        await db.SaveChangesAsync(cancellationToken);
        return recovery;
    }
}
