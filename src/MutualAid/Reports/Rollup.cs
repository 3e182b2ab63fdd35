using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Organisation;

namespace MutualAid.Reports;

/// <summary>A region's line of the roll-up: the figures of its home page (<see cref="Overview"/>) for its whole city.</summary>
public sealed record RegionFigures(string Code, string Name, string Office, int Members, int ActiveEnrollments, Money Paid, Money Bank);

/// <summary>
/// What an association's or a province's office sees (汇总): each of its regions' members,
/// enrolments in force, claims paid and the fund's bank balance, each counted in that region's
/// schema by the region's own overview query, and their sum. No record of any region is shown.
/// </summary>
public sealed record Rollup(IReadOnlyList<RegionFigures> Regions)
{
    private static readonly UserScope CityWide = new(0, "", "", new HashSet<string> { Roles.Admin }, null, null, null);

    public int Members => Regions.Sum(r => r.Members);

    public int ActiveEnrollments => Regions.Sum(r => r.ActiveEnrollments);

    public Money Paid => new(Regions.Sum(r => r.Paid.Fen));

    public Money Bank => new(Regions.Sum(r => r.Bank.Fen));

    public static async Task<Rollup> ForAsync(Database database, string office, DateTime now, CancellationToken cancellationToken)
    {
        var directory = new RegionDirectory(database);
        var offices = (await directory.ListAsync(cancellationToken)).ToDictionary(o => o.Code, o => o.Name);
        var lines = new List<RegionFigures>();
        foreach (var region in await directory.RegionsUnderAsync(office, cancellationToken))
        {
            await using var db = database.InSchema(region.Schema).CreateContext();
            var figures = await Overview.ForAsync(db, CityWide, now, cancellationToken);
            lines.Add(new RegionFigures(region.Code, region.Name, offices.GetValueOrDefault(region.Parent ?? "", ""), figures.Members, figures.ActiveEnrollments, figures.Paid, figures.Bank ?? Money.Zero));
        }
        return new Rollup(lines);
    }
}
