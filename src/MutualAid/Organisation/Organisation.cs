using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MutualAid.Organisation;

/// <summary>The pooling region (统筹区): a city whose districts share one fund.</summary>
public sealed class Region(string code, string name)
{
    public long Id { get; private set; }

    /// <summary>The 6-digit administrative division code, e.g. 330200 for Ningbo.</summary>
    public string Code { get; private set; } = code;

    public string Name { get; private set; } = name;
}

/// <summary>A district or county (区/县) with its own sub-ledger.</summary>
public sealed class District(long regionId, string code, string name)
{
    public long Id { get; private set; }

    public long RegionId { get; private set; } = regionId;

    /// <summary>The 6-digit division code, e.g. 330203 for 海曙区.</summary>
    public string Code { get; private set; } = code;

    public string Name { get; private set; } = name;
}

/// <summary>A service point (服务网点) where claims are taken.</summary>
public sealed class ServicePoint(long districtId, string name, string? address)
{
    public long Id { get; private set; }

    public long DistrictId { get; private set; } = districtId;

    public string Name { get; private set; } = name;

    public string? Address { get; private set; } = address;
}

internal sealed class OrganisationConfiguration
    : IEntityTypeConfiguration<Region>, IEntityTypeConfiguration<District>, IEntityTypeConfiguration<ServicePoint>
{
    public void Configure(EntityTypeBuilder<Region> builder)
    {
        builder.ToTable("regions");
        builder.Property(r => r.Code).HasMaxLength(6);
        builder.HasIndex(r => r.Code).IsUnique();
    }

    public void Configure(EntityTypeBuilder<District> builder)
    {
        builder.ToTable("districts");
        builder.Property(d => d.Code).HasMaxLength(6);
        builder.HasIndex(d => d.Code).IsUnique();
        builder.HasOne<Region>().WithMany().HasForeignKey(d => d.RegionId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<ServicePoint> builder)
    {
        builder.ToTable("service_points");
        builder.HasOne<District>().WithMany().HasForeignKey(p => p.DistrictId).OnDelete(DeleteBehavior.Restrict);
    }
}
