using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MutualAid.Data;
using MutualAid.Demo;

namespace MutualAid.Tests.Web;

/// <summary>
/// The web application as a newcomer runs it: its own process on 127.0.0.1, on a SQLite file
/// holding the demo city (built once per test run and copied), with the demo accounts it adds
/// at start, and its documents in a folder of its own. Disposed, the process is stopped and the files deleted.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> DemoTemplate = new(async () =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("mutualaid-web-template-").FullName, "mutualaid.db");
        await new DemoCity(Database.Parse($"Data Source={file}"), TimeProvider.System).RunAsync(default);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return file;
    });

    /// <summary>The key the server's payment gateway stub signs with, so tests can send its notifications.</summary>
    public const string StubKey = "web-test-stub-key";

    private readonly Process _process;
    private readonly string _folder;

    private WebServer(Process process, string folder, string connectionString, string url)
    {
        _process = process;
        _folder = folder;
        ConnectionString = connectionString;
        Url = url;
    }

    public string Url { get; }

    public string ConnectionString { get; }

    /// <summary>Starts the server; <paramref name="environment"/> adds to or overrides its settings.</summary>
    public static async Task<WebServer> StartAsync(params (string Name, string Value)[] environment)
    {
        // A folder of its own: the database and its documents (documents/ beside it), copied from the demo city's.
        var template = await DemoTemplate.Value;
        var folder = Directory.CreateTempSubdirectory("mutualaid-web-").FullName;
        foreach (var source in Directory.EnumerateFiles(Path.GetDirectoryName(template)!, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(Path.GetDirectoryName(template)!, source));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(source, copy);
        }
        var file = Path.Combine(folder, "mutualaid.db");
        return await StartAsync(folder, $"Data Source={file}", environment);
    }

    /// <summary>Starts the server on a database the test has prepared (PostgreSQL), which it leaves in place.</summary>
    public static Task<WebServer> StartOnAsync(string connectionString, params (string Name, string Value)[] environment) =>
        StartAsync(Directory.CreateTempSubdirectory("mutualaid-web-").FullName, connectionString, environment);

    /// <summary>The folder of the server's documents (<c>MUTUALAID_DOCUMENTS</c>): <c>documents/</c> in the server's own folder.</summary>
    public string DocumentFolder => Path.Combine(_folder, "documents");

    private static async Task<WebServer> StartAsync(string folder, string connectionString, (string Name, string Value)[] environment)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "MutualAid.Web.dll"), "--urls", url, "--contentRoot", Path.Combine(TestPaths.Repository, "src", "MutualAid.Web") })
            start.ArgumentList.Add(arg);
        start.Environment[Database.EnvironmentVariable] = connectionString;
        start.Environment[Database.DocumentsVariable] = Path.Combine(folder, "documents");
        start.Environment["Payments__StubKey"] = StubKey;
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new WebServer(process, folder, connectionString, url);
        using var http = new HttpClient();
        // Minutes, not seconds: on a busy machine the first start migrates and fills the demo city.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            try
            {
                if ((await http.GetAsync($"{url}/account/login")).StatusCode == HttpStatusCode.OK)
                    return server;
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited)
                break;
            await Task.Delay(250);
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("the web application did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
