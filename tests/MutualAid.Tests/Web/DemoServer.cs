using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>One web server on the demo city, started once for all the tests of a class (<c>IClassFixture</c>).</summary>
public sealed class DemoServer : IAsyncLifetime
{
    private WebServer? _server;

    public WebServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async ValueTask InitializeAsync() => _server = await WebServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public MutualAidDbContext Db() => Database.Parse(Server.ConnectionString).CreateContext();
}
