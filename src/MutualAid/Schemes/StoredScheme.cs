using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Schemes;

/// <summary>
/// A scheme as last loaded: its document (the scheme file) and one row per plan version,
/// which enrollments point at. A version in use is never edited, only superseded.
/// </summary>
public sealed class StoredScheme
{
    private readonly List<StoredPlanVersion> _versions = [];

    private StoredScheme()
    {
    }

    public StoredScheme(string code, string name, string document, DateTime loadedAt)
    {
        Code = code;
        Name = name;
        Document = document;
        LoadedAt = loadedAt;
    }

    public long Id { get; private set; }

    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The scheme file as loaded; read back with <see cref="Benefits.SchemeReader"/>.</summary>
    public string Document { get; private set; } = "";

    public DateTime LoadedAt { get; private set; }

    public IReadOnlyList<StoredPlanVersion> Versions => _versions;

    public void Replace(string name, string document, DateTime loadedAt)
    {
        Name = name;
        Document = document;
        LoadedAt = loadedAt;
    }

    public void Add(StoredPlanVersion version) => _versions.Add(version);

    public void Remove(StoredPlanVersion version) => _versions.Remove(version);
}

/// <summary>One version of one plan; <see cref="Fingerprint"/> covers every term that decides a payout.</summary>
public sealed class StoredPlanVersion
{
    private StoredPlanVersion()
    {
    }

    public StoredPlanVersion(string planCode, string planName, DateOnly effectiveFrom, Money premium, string fingerprint)
    {
        PlanCode = planCode;
        PlanName = planName;
        EffectiveFrom = effectiveFrom;
        Premium = premium;
        Fingerprint = fingerprint;
    }

    public long Id { get; private set; }

    public long SchemeId { get; private set; }

    public string PlanCode { get; private set; } = "";

    public string PlanName { get; private set; } = "";

    public DateOnly EffectiveFrom { get; private set; }

    public Money Premium { get; private set; }

    public string Fingerprint { get; private set; } = "";

    public void Update(string planName, Money premium, string fingerprint)
    {
        PlanName = planName;
        Premium = premium;
        Fingerprint = fingerprint;
    }
}

internal sealed class StoredSchemeConfiguration : IEntityTypeConfiguration<StoredScheme>, IEntityTypeConfiguration<StoredPlanVersion>
{
    public void Configure(EntityTypeBuilder<StoredScheme> builder)
    {
        builder.ToTable("schemes");
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(50);
        builder.Property(s => s.Document).HasMaxLength(1_000_000);
        builder.HasMany(s => s.Versions).WithOne().HasForeignKey(v => v.SchemeId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Versions).HasField("_versions");
    }

    public void Configure(EntityTypeBuilder<StoredPlanVersion> builder)
    {
        builder.ToTable("plan_versions");
        builder.HasIndex(v => new { v.SchemeId, v.PlanCode, v.EffectiveFrom }).IsUnique();
        builder.Property(v => v.PlanCode).HasMaxLength(50);
        builder.Property(v => v.Fingerprint).HasMaxLength(64);
    }
}
