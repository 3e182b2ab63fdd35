using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MutualAid.Units;

/// <summary>What kind of employer a unit is (单位性质).</summary>
public enum UnitKind
{
    /// <summary>机关.</summary>
    Government,
    /// <summary>事业单位.</summary>
    Institution,
    /// <summary>国有企业.</summary>
    StateOwned,
    /// <summary>民营企业.</summary>
    Private,
    /// <summary>社会团体.</summary>
    Association,
    /// <summary>新业态平台 (delivery, ride-hailing).</summary>
    Platform,
    /// <summary>其他.</summary>
    Other,
}

/// <summary>
/// An employer unit (参保单位) that enrols its workers; the headcounts are the bases of
/// the participation rates (in-service workers, and women for the women's plans).
/// </summary>
public sealed class Unit
{
    private Unit()
    {
    }

    public Unit(string code, string name, long districtId, UnitKind kind, int headcount, int femaleHeadcount)
    {
        Code = code;
        Name = name;
        DistrictId = districtId;
        Kind = kind;
        SetHeadcount(headcount, femaleHeadcount);
    }

    public long Id { get; private set; }

    /// <summary>The unified social credit code, checked by <see cref="Common.UnitCode"/>.</summary>
    public string Code { get; private set; } = "";

    public string Name { get; private set; } = "";

    public long DistrictId { get; private set; }

    public UnitKind Kind { get; private set; }

    /// <summary>在职职工人数.</summary>
    public int Headcount { get; private set; }

    /// <summary>女职工人数.</summary>
    public int FemaleHeadcount { get; private set; }

    public void Update(string name, long districtId, UnitKind kind, int headcount, int femaleHeadcount)
    {
        Name = name;
        DistrictId = districtId;
        Kind = kind;
        SetHeadcount(headcount, femaleHeadcount);
    }

    public void SetHeadcount(int headcount, int femaleHeadcount)
    {
        if (headcount < 0 || femaleHeadcount < 0 || femaleHeadcount > headcount)
            throw new ArgumentException($"单位 {Code} 人数无效：职工 {headcount} 人，女职工 {femaleHeadcount} 人");
        Headcount = headcount;
        FemaleHeadcount = femaleHeadcount;
    }
}

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> builder)
    {
        builder.ToTable("units");
        builder.Property(u => u.Code).HasMaxLength(18);
        builder.HasIndex(u => u.Code).IsUnique();
        builder.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Organisation.District>().WithMany().HasForeignKey(u => u.DistrictId).OnDelete(DeleteBehavior.Restrict);
    }
}
