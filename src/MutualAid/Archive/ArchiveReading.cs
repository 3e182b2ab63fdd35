using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using MutualAid.Data;

namespace MutualAid.Archive;

/// <summary>A read-only context whose claims and their rows are read from elsewhere than the live tables.</summary>
public abstract class ArchiveContext(DbContextOptions<MutualAidDbContext> options) : MutualAidDbContext(options)
{
    /// <summary>Where the entity mapped to the live <paramref name="table"/> is read from.</summary>
    protected abstract void Map(IMutableEntityType entity, string table);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && YearArchive.Tables.Any(t => t.Name == table))
                Map(entity, table);
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The archive is read only");
}

/// <summary>
/// Sees archived claims as if they were live: claims and the rows that belong to them are read
/// through the views <c>all_claims</c>, <c>all_claim_lines</c>, … (the live table and its
/// <c>archive_</c> twin, one after the other). Used by what must still see a closed year: the
/// member's history, a claim's page, <c>recompute</c> and the yearly reports.
/// </summary>
public sealed class ArchiveReading(DbContextOptions<MutualAidDbContext> options) : ArchiveContext(options)
{
    protected override void Map(IMutableEntityType entity, string table) => entity.SetViewName(YearArchive.ViewOf(table));
}

/// <summary>
/// The archive alone: the claims and their rows in the <c>archive_</c> tables. The claim book and
/// the check for one stay, one payout read it beside the live tables, so a claim that comes late
/// for a period whose earlier claims were archived is computed and checked against them.
/// </summary>
public sealed class ArchivedOnly(DbContextOptions<MutualAidDbContext> options) : ArchiveContext(options)
{
    protected override void Map(IMutableEntityType entity, string table) => entity.SetTableName(YearArchive.ArchiveOf(table));
}

public static class ArchiveReadingExtensions
{
    /// <summary>
    /// A context on the same connection (and so the same region and replica) that reads archived
    /// claims too, without tracking. The caller disposes it; the connection stays the caller's.
    /// </summary>
    public static async Task<MutualAidDbContext> WithArchiveAsync(this MutualAidDbContext db, CancellationToken cancellationToken = default) =>
        // With nothing archived the live tables are the whole story, and PostgreSQL plans a report over them far
        // better than over the views of both (the adequacy report's payouts on the city of a million: 0.8 s, not 2.6).
        await db.HasArchivedClaimsAsync(cancellationToken) ? new ArchiveReading(Beside(db)) : new MutualAidDbContext(Beside(db));

    /// <summary>Whether any claim has been archived (one look at the archive's first row).</summary>
    public static Task<bool> HasArchivedClaimsAsync(this MutualAidDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<bool>("SELECT EXISTS (SELECT 1 FROM archive_claims) AS \"Value\"").SingleAsync(cancellationToken);

    /// <summary>The archive alone, on the same connection and in its transaction (the reads of a unit of work); the caller disposes it.</summary>
    public static MutualAidDbContext ArchivedOnly(this MutualAidDbContext db)
    {
        var archive = new ArchivedOnly(Beside(db));
        if (db.Database.CurrentTransaction is { } transaction)
            archive.Database.UseTransaction(Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction));
        return archive;
    }

    private static DbContextOptions<MutualAidDbContext> Beside(MutualAidDbContext db)
    {
        var builder = new DbContextOptionsBuilder<MutualAidDbContext>();
        var connection = db.Database.GetDbConnection();
        if (db.Database.IsNpgsql())
            builder.UseNpgsql(connection, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        else
            builder.UseSqlite(connection, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return builder.Options;
    }
}
