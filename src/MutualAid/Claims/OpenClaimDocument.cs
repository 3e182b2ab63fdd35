using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Archive;
using MutualAid.Auditing;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Documents;

namespace MutualAid.Claims;

/// <summary>
/// 查看理赔材料: a claim's document (a medical record, an ID card's photo) opened by someone whose
/// work needs it: a clerk or reviewer whose scope holds the claim, or the member it belongs to.
/// The look is an audit line, saved before the bytes leave; anyone else finds nothing. The bytes
/// come from the document store, checked against the hash on the row (<see cref="DocumentFiles.ReadAsync"/>):
/// a file altered or missing is refused with why, and is no look.
/// </summary>
public sealed class OpenClaimDocument(MutualAidDbContext db, TimeProvider clock)
{
    public async Task<OpenedDocument?> HandleAsync(UserScope scope, string number, long documentId, Actor actor, CancellationToken cancellationToken)
    {
        if (!scope.Roles.Overlaps(Roles.OpenClaimDocuments) && scope.MemberId is null)
            return null;
        var claimId = Claim.IdOf(number);
        // An archived claim's documents still open (mutualaid archive): read through the archive's views, audited here.
        await using var reading = await db.WithArchiveAsync(cancellationToken);
        var claim = await scope.Claims(reading).SingleOrDefaultAsync(c => c.Id == claimId, cancellationToken);
        if (claim?.Number != number)
            return null;
        var document = await reading.ClaimDocuments.SingleOrDefaultAsync(d => d.Id == documentId && d.ClaimId == claimId, cancellationToken);
        if (document is null)
            return null;
        var content = await db.ReadAsync(document, cancellationToken);
        db.Audit(actor, clock.Now(), "查看理赔材料", number, $"{document.FileName}（{Names.Document(document.Type)}）");
        await db.SaveChangesAsync(cancellationToken);
        return new OpenedDocument(document.FileName, document.ContentType, content);
    }
}

/// <summary>A document as it is sent: its name, its type and its bytes.</summary>
public sealed record OpenedDocument(string FileName, string ContentType, byte[] Content);
