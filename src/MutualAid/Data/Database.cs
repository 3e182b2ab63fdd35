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

    /// <remarks>With <c>MUTUALAID_REGION</c> (the CLI's <c>--region</c>), PostgreSQL works in that region's schema.</remarks>
    public static Database Resolve(string? connection) =>
        Parse(string.IsNullOrWhiteSpace(connection) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : connection)
            .InRegion(Environment.GetEnvironmentVariable(Organisation.RegionDirectory.EnvironmentVariable));

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
        if (Provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(ConnectionString, o => o
                .MigrationsAssembly("MutualAid.Migrations.Postgres")
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
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
