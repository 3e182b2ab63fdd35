using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MutualAid.ModelWorkers;

/// <summary>The level of a model worker's title (劳模级别); the subsidy's rules differ by it.</summary>
public enum ModelWorkerLevel
{
    /// <summary>全国劳动模范、全国先进工作者.</summary>
    National,
    /// <summary>省部级劳动模范.</summary>
    Provincial,
    /// <summary>市级劳动模范.</summary>
    City,
}

/// <summary>
/// A member's model-worker title (劳模称号) as a clerk recorded it from the certificate: level, the
/// title as awarded, the year, who recorded it and when. One a member (the highest title they hold);
/// with it the member counts as <c>model_worker</c> for the plans that name that type, whatever their
/// own type (in service or retired).
/// </summary>
public sealed class ModelWorkerTitle
{
    private ModelWorkerTitle()
    {
    }

    public ModelWorkerTitle(long memberId, ModelWorkerLevel level, string title, int year, string recordedBy, DateTime recordedAt)
    {
        MemberId = memberId;
        Level = level;
        Title = title;
        Year = year;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public long Id { get; private set; }

    public long MemberId { get; private set; }

    public ModelWorkerLevel Level { get; private set; }

    /// <summary>称号, e.g. 全国劳动模范, 陕西省劳动模范, 西安市劳动模范.</summary>
    public string Title { get; private set; } = "";

    /// <summary>授予年份.</summary>
    public int Year { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }
}

internal sealed class ModelWorkerTitleConfiguration : IEntityTypeConfiguration<ModelWorkerTitle>
{
    public void Configure(EntityTypeBuilder<ModelWorkerTitle> builder)
    {
        builder.ToTable("model_workers");
        builder.Property(t => t.Level).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.Title).HasMaxLength(50);
        builder.Property(t => t.RecordedBy).HasMaxLength(50);
        // One title a member: the same record sent twice at once is stored once.
        builder.HasIndex(t => t.MemberId).IsUnique();
        builder.HasOne<Members.Member>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
