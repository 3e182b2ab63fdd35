using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Archive;
using MutualAid.Auditing;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Claims;

/// <summary>
/// 查看理赔材料: a claim's document (a medical record, an ID card's photo) opened by someone whose
/// work needs it: a clerk or reviewer whose scope holds the claim, or the member it belongs to.
/// The look is an audit line, saved before the bytes leave; anyone else finds nothing.
/// </summary>
public sealed class OpenClaimDocument(MutualAidDbContext db, TimeProvider clock)
{
    public async Task<ClaimDocument?> HandleAsync(UserScope scope, string number, long documentId, Actor actor, CancellationToken cancellationToken)
    {
        if (!scope.Roles.Overlaps(Roles.OpenClaimDocuments) && scope.MemberId is null)
            return null;
        var claimId = Claim.IdOf(number);
        // An archived claim's documents still open (mutualaid archive): read through the archive's views, audited here.
        await using var reading = db.WithArchive();
        var claim = await scope.Claims(reading).SingleOrDefaultAsync(c => c.Id == claimId, cancellationToken);
        if (claim?.Number != number)
            return null;
        var document = await reading.ClaimDocuments.SingleOrDefaultAsync(d => d.Id == documentId && d.ClaimId == claimId, cancellationToken);
        if (document is null)
            return null;
        db.Audit(actor, clock.Now(), "查看理赔材料", number, $"{document.FileName}（{Names.Document(document.Type)}）");
        await db.SaveChangesAsync(cancellationToken);
        return document;
    }
}
