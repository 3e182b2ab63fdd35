using Microsoft.EntityFrameworkCore;

namespace MutualAid.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Chooses the database by its connection string: <c>Host=…</c> is PostgreSQL, <c>Data Source=…</c>
/// or a bare file path is SQLite. Without one, <c>MUTUALAID_DB</c>, then the SQLite file data/mutualaid.db.
/// </summary>
public sealed record Database(DatabaseProvider Provider, string ConnectionString)
{
    public const string EnvironmentVariable = "MUTUALAID_DB";
    public const string DefaultFile = "data/mutualaid.db";

    /// <summary>How often a unit of work is tried again on PostgreSQL after a transient fault; SQLite, embedded, does not retry.</summary>
    public const int RetryCount = 3;

    /// <summary>The document store's folder when <c>Documents:Folder</c> is not set (the CLI has only this).</summary>
    public const string DocumentsVariable = "MUTUALAID_DOCUMENTS";

    /// <remarks>With <c>MUTUALAID_REGION</c> (the CLI's <c>--region</c>), PostgreSQL works in that region's schema.
    /// The documents' folder is <paramref name="documents"/>, else <c>MUTUALAID_DOCUMENTS</c>, else <see cref="DocumentFolder"/>'s default.</remarks>
    public static Database Resolve(string? connection, string? documents = null) =>
        Parse(string.IsNullOrWhiteSpace(connection) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : connection)
            .InRegion(Environment.GetEnvironmentVariable(Organisation.RegionDirectory.EnvironmentVariable))
            with { DocumentFolder = string.IsNullOrWhiteSpace(documents) ? Environment.GetEnvironmentVariable(DocumentsVariable) : documents };

    /// <summary>
    /// The folder of the document store (<see cref="Documents.FolderDocumentStore"/>): as set, else
    /// <c>documents/</c> beside the SQLite file, else (PostgreSQL) beside <see cref="DefaultFile"/>, in <c>data/</c>.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public string DocumentFolder
    {
        get => string.IsNullOrWhiteSpace(field) ? Path.Combine(Path.GetDirectoryName(Provider == DatabaseProvider.Sqlite && DataSource != ":memory:" ? DataSource : DefaultPath()) ?? "", "documents") : field;
        init;
    }

    private Database InRegion(string? region) =>
        string.IsNullOrWhiteSpace(region) ? this : InSchema(Organisation.RegionDirectory.SchemaFor(region));

    /// <summary>
    /// The same PostgreSQL database working in one schema, a pooling region's (its search path;
    /// null: the server's default); SQLite has one region and stays as it is.
    /// </summary>
    public Database InSchema(string? schema) => Provider != DatabaseProvider.Postgres ? this
        : this with { ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString };

    public static Database Parse(string? connection)
    {
        var text = string.IsNullOrWhiteSpace(connection) ? DefaultPath() : connection.Trim();
        if (text.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || text.Contains(";Host=", StringComparison.OrdinalIgnoreCase))
            return new Database(DatabaseProvider.Postgres, text);
        if (text.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
            return new Database(DatabaseProvider.Sqlite, text);
        return new Database(DatabaseProvider.Sqlite, $"Data Source={text}");
    }

    /// <summary>
    /// <see cref="DefaultFile"/> in the checkout when running from one (found by MutualAid.slnx above
    /// the working directory), so the CLI and the web app share it whichever folder they run in;
    /// elsewhere in the working directory.
    /// </summary>
    private static string DefaultPath()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MutualAid.slnx")))
                return Path.Combine(dir.FullName, DefaultFile);
        }
        return DefaultFile;
    }

    public DbContextOptions<MutualAidDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<MutualAidDbContext>();
        Configure(builder);
        return builder.Options;
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        ((Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptionsBuilderInfrastructure)builder)
            .AddOrUpdateExtension(new Documents.DocumentStoreExtension(new Documents.FolderDocumentStore(DocumentFolder)));
        if (Provider == DatabaseProvider.Postgres)
        {
            // A transient fault (a dropped connection, a failover, a deadlock) runs the statement, or the
            // whole unit of work (UnitOfWork.InTransactionAsync), again: three times within about ten seconds.
            builder.UseNpgsql(Opened, o => o
                .MigrationsAssembly("MutualAid.Migrations.Postgres")
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)
                .EnableRetryOnFailure(RetryCount, TimeSpan.FromSeconds(5), null));
            return;
        }
        CreateFolder();
        // A list in a query travels as one array parameter (json_each, = ANY): EF 10's default of one
        // parameter per item makes a 10,000-id lookup slow to prepare and never reused.
        builder.UseSqlite(ConnectionString, o => o
            .MigrationsAssembly("MutualAid.Migrations.Sqlite")
            .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
    }

    public MutualAidDbContext CreateContext() => new(Options());

    /// <summary>
    /// The connection string the product opens: on PostgreSQL with the planner told that a random read costs little more than a sequential
    /// one (<c>random_page_cost=1.1</c>, as on the solid-state disks a city's server has), unless it sets
    /// <c>Options</c> itself. At the default 4.0, written for spinning disks, PostgreSQL read a whole table
    /// to find a unit's 4,000 members' claims (200 ms, not 32) and every batch of the settlement feed.
    /// Parallel workers only for queries that read a large part of a table (<c>parallel_setup_cost=10000</c>,
    /// ten times the default): started for a page's small query on a busy server they cost more than they save
    /// (a unit's claims: 99 ms in parallel, 15 ms without).
    /// </summary>
    public string Opened
    {
        get
        {
            if (Provider != DatabaseProvider.Postgres)
                return ConnectionString;
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrEmpty(builder.Options))
                builder.Options = "-c random_page_cost=1.1 -c parallel_setup_cost=10000";
            return builder.ConnectionString;
        }
    }

    /// <summary>A context for lists and reports (on a read-only connection): nothing it reads is tracked.</summary>
    public MutualAidDbContext CreateReadContext()
    {
        var builder = new DbContextOptionsBuilder<MutualAidDbContext>();
        Configure(builder);
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return new(builder.Options);
    }

    /// <summary>Brings the schema up to date; a new SQLite file is created, in WAL mode for readers beside a writer.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>The migrations the database has not had yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
    }

    /// <summary>A SQLite database whose file does not exist yet (opening it would create an empty one).</summary>
    public bool IsMissingFile =>
        Provider == DatabaseProvider.Sqlite && DataSource is var file && file != ":memory:" && !File.Exists(file);

    private string DataSource => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;

    /// <summary>The connection string without its password, for messages.</summary>
    public string Display => System.Text.RegularExpressions.Regex.Replace(ConnectionString, "(?i)(password|pwd)=[^;]*", "$1=***");

    private void CreateFolder()
    {
        var source = DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(source));
        if (source != ":memory:" && !string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }
}
