using MutualAid.Claims;
using MutualAid.Data;

namespace MutualAid.Settlements;

/// <summary>What taking in a settlement file did: the rows imported or reported, and the claims made.</summary>
public sealed record FeedReport(SettlementReport Import, AdjudicationReport Claims);

/// <summary>
/// 无感办理 in one call and one pass over the file: each batch of settlements is imported and
/// claimed in one transaction, so a run cut short leaves no settlement of its own without a claim.
/// A settlement left without one (by an import alone, or before this design) is claimed when its
/// row comes again (the same file again), or by <see cref="AdjudicateSettlements.HandleAsync"/>.
/// The CLI, the demo and the tests come in here.
/// </summary>
public sealed class SettlementFeed(MutualAidDbContext db, TimeProvider clock, IReadOnlySet<string>? acceptedInsuranceTypes = null)
{
    public async Task<FeedReport> HandleAsync(string path, CancellationToken cancellationToken)
    {
        var adjudicator = new AdjudicateSettlements(db, clock);
        var import = await new ImportSettlements(db, clock, acceptedInsuranceTypes) { Adjudicator = adjudicator }.HandleAsync(path, cancellationToken);
        return new FeedReport(import, adjudicator.Report);
    }
}
