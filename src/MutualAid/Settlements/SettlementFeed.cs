using MutualAid.Claims;
using MutualAid.Data;

namespace MutualAid.Settlements;

/// <summary>What taking in a settlement file did: the rows imported or reported, and the claims made.</summary>
public sealed record FeedReport(SettlementReport Import, AdjudicationReport Claims);

/// <summary>
/// 无感办理 in one call: a settlement file imported, then every settlement without a claim
/// adjudicated. Each import batch commits alone, so a run cut short can leave settlements without
/// claims; since adjudication takes all of them, not only this file's, the next run (the same
/// file again, whose rows are then duplicates, or another) completes them. The CLI, the demo and
/// the tests come in here.
/// </summary>
public sealed class SettlementFeed(MutualAidDbContext db, TimeProvider clock, IReadOnlySet<string>? acceptedInsuranceTypes = null)
{
    public async Task<FeedReport> HandleAsync(string path, CancellationToken cancellationToken)
    {
        var import = await new ImportSettlements(db, clock, acceptedInsuranceTypes).HandleAsync(path, cancellationToken);
        var claims = await new AdjudicateSettlements(db, clock).HandleAsync(cancellationToken);
        return new FeedReport(import, claims);
    }
}
