using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>
/// Where lists and reports read (docs/operations.md): with <c>Database:ReadOnly</c> set, a context on
/// that connection (a streaming replica), without tracking; otherwise, and in a request that writes (a
/// form posted, whose page shows what it wrote), the request's own context on the primary.
/// </summary>
public sealed class ReadDb(MutualAidDbContext primary, ReadDb.Replica? replica, IHttpContextAccessor http) : IAsyncDisposable
{
    /// <summary>The read-only connection, when configured.</summary>
    public sealed record Replica(Database Database);

    private MutualAidDbContext? _replica;

    public MutualAidDbContext Context =>
        replica is null || HttpMethods.IsPost(http.HttpContext?.Request.Method ?? HttpMethods.Get) ? primary : _replica ??= replica.Database.CreateReadContext();

    public ValueTask DisposeAsync() => _replica?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Registers it: <c>Database:ReadOnly</c>, when set, names the replica (a PostgreSQL <c>Host=…</c> or a SQLite file, as <c>MUTUALAID_DB</c>).</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var replica = configuration["Database:ReadOnly"] is { Length: > 0 } connection ? new Replica(Database.Parse(connection)) : null;
        services.AddScoped(s => new ReadDb(s.GetRequiredService<MutualAidDbContext>(), replica, s.GetRequiredService<IHttpContextAccessor>()));
    }
}
