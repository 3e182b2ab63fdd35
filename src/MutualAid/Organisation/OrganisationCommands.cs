using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Organisation;

public sealed record DistrictView(string Code, string Name, IReadOnlyList<string> ServicePoints);

public sealed record OrganisationView(string? RegionCode, string? RegionName, IReadOnlyList<DistrictView> Districts);

/// <summary>
/// The pooling region (one per database: the city whose fund it is), its districts and
/// their service points. Adding what exists already changes nothing.
/// </summary>
public sealed class OrganisationCommands(MutualAidDbContext db)
{
    public async Task<Region> SetRegionAsync(string code, string name, CancellationToken cancellationToken)
    {
        RequireDivisionCode(code, "code");
        var region = await db.Regions.SingleOrDefaultAsync(cancellationToken);
        if (region is not null && region.Code != code)
            throw Invalid("code", $"本库的统筹区已是 {region.Code} {region.Name}，不能改为 {code}");
        if (region is null)
        {
            region = new Region(code, name);
            db.Regions.Add(region);
            await db.SaveChangesAsync(cancellationToken);
        }
        return region;
    }

    /// <summary>A district of the region; its code shares the region's first four digits (330203 under 330200).</summary>
    public async Task<District> AddDistrictAsync(string code, string name, CancellationToken cancellationToken)
    {
        RequireDivisionCode(code, "code");
        var region = await db.Regions.SingleOrDefaultAsync(cancellationToken)
            ?? throw Invalid("region", "尚未设置统筹区：mutualaid org region CODE NAME");
        if (!code.StartsWith(region.Code[..4], StringComparison.Ordinal))
            throw Invalid("code", $"区县代码 {code} 不属于统筹区 {region.Code} {region.Name}");
        var district = await db.Districts.SingleOrDefaultAsync(d => d.Code == code, cancellationToken);
        if (district is null)
        {
            district = new District(region.Id, code, name);
            db.Districts.Add(district);
            await db.SaveChangesAsync(cancellationToken);
        }
        return district;
    }

    public async Task<ServicePoint> AddServicePointAsync(string districtCode, string name, string? address, CancellationToken cancellationToken)
    {
        var district = await db.Districts.SingleOrDefaultAsync(d => d.Code == districtCode, cancellationToken)
            ?? throw Invalid("district", $"没有代码为 {districtCode} 的区县");
        var point = await db.ServicePoints.SingleOrDefaultAsync(p => p.DistrictId == district.Id && p.Name == name, cancellationToken);
        if (point is null)
        {
            point = new ServicePoint(district.Id, name, address);
            db.ServicePoints.Add(point);
            await db.SaveChangesAsync(cancellationToken);
        }
        return point;
    }

    public async Task<OrganisationView> ShowAsync(CancellationToken cancellationToken)
    {
        var region = await db.Regions.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var points = await db.ServicePoints.AsNoTracking().ToListAsync(cancellationToken);
        var districts = await db.Districts.AsNoTracking().OrderBy(d => d.Code).ToListAsync(cancellationToken);
        return new OrganisationView(region?.Code, region?.Name,
            [.. districts.Select(d => new DistrictView(d.Code, d.Name, [.. points.Where(p => p.DistrictId == d.Id).Select(p => p.Name).Order(StringComparer.Ordinal)]))]);
    }

    private static void RequireDivisionCode(string code, string field)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
            throw Invalid(field, $"行政区划代码“{code}”应为 6 位数字");
    }

    private static InvalidInputException Invalid(string field, string message) => new([new Problem(field, message)]);
}
