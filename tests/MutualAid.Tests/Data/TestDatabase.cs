using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using Npgsql;

namespace MutualAid.Tests.Data;

/// <summary>
/// A fresh database for one test, built by the real migrations: SQLite always, PostgreSQL
/// when <c>MUTUALAID_TEST_PG</c> names a server (the test is skipped otherwise; CI sets it).
/// Each provider migrates one template per run; every test gets its own copy, and its own
/// temporary folder of documents (the document store).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MUTUALAID_TEST_PG";

    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static readonly Lazy<Task<string>> SqliteTemplate = new(CreateSqliteTemplateAsync);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(CreatePostgresTemplateAsync);

    private readonly Func<Task> _drop;

    private TestDatabase(Database database, Func<Task> drop)
    {
        Database = database;
        _drop = drop;
    }

    public static TheoryData<string> Providers => ["sqlite", "postgres"];

    public Database Database { get; }

    public MutualAidDbContext NewContext() => Database.CreateContext();

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            // A folder of its own: the database file, and its documents beside it (documents/), as the CLI finds them.
            var folder = Directory.CreateTempSubdirectory("mutualaid-test-").FullName;
            var file = Path.Combine(folder, "mutualaid.db");
            File.Copy(await SqliteTemplate.Value, file);
            return new TestDatabase(Database.Parse($"Data Source={file}"), () =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Skip($"PostgreSQL not configured: set {PostgresVariable} (e.g. Host=127.0.0.1;Port=5432;Username=postgres); .ci/run does");
        var template = await PostgresTemplate.Value;
        var name = $"mutualaid_test_{RunId}_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {template}");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var documents = Directory.CreateTempSubdirectory("mutualaid-documents-").FullName;
        return new TestDatabase(Database.Parse(connection) with { DocumentFolder = documents }, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            Directory.Delete(documents, recursive: true);
        });
    }

    /// <summary>An empty PostgreSQL database with no migration applied (skipped without a server).</summary>
    public static async Task<TestDatabase> CreateEmptyPostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Skip($"PostgreSQL not configured: set {PostgresVariable} (e.g. Host=127.0.0.1;Port=5432;Username=postgres); .ci/run does");
        var name = $"mutualaid_empty_{RunId}_{Guid.NewGuid():N}"[..40];
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        return new TestDatabase(Database.Parse(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    public async ValueTask DisposeAsync() => await _drop();

    private static async Task<string> CreateSqliteTemplateAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mutualaid-template-{RunId}.db");
        await Database.Parse($"Data Source={file}").MigrateAsync();
        SqliteConnection.ClearAllPools();
        return file;
    }

    private static async Task<string> CreatePostgresTemplateAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable)!;
        var name = $"mutualaid_template_{RunId}";
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        await Database.Parse(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString).MigrateAsync();
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
