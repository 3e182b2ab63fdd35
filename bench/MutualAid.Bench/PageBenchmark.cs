using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MutualAid.Data;
using MutualAid.Demo;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// The web application in Release on the demo city (SQLite), signed in as each role that uses the
/// pages: every page fetched 5 times to warm up, then 50 times, and the time from request to the
/// last byte taken on the same machine (loopback), so it is the server's time to the tenth of a
/// millisecond.
/// </summary>
internal static partial class PageBenchmark
{
    private const int Rounds = 50;

    public static async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-bench-");
        var file = Path.Combine(folder.FullName, "demo.db");
        await new DemoCity(Database.Parse($"Data Source={file}"), TimeProvider.System).RunAsync(default);
        var url = "http://127.0.0.1:5099";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MutualAid.Web.dll"), "--urls", url, "--contentRoot", Path.Combine(Repository(), "src", "MutualAid.Web")]);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment[Database.EnvironmentVariable] = file;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var server = Process.Start(start)!;
        try
        {
            await WaitAsync(url);
            var db = Database.Parse($"Data Source={file}").CreateContext();
            var member = db.Members.OrderBy(m => m.Id).First();
            var claim = db.Claims.OrderBy(c => c.Id).First();
            Say($"demo city: {db.Members.Count():N0} members, {db.Claims.Count():N0} claims; {Rounds} requests a page after 5 to warm up");
            Say($"{"page",-34} {"user",-9} {"median",8} {"p95",8} {"max",8}  ms");
            foreach (var (user, path) in new[]
            {
                ("admin", "/"), ("clerk", "/"), ("admin", "/members"), ("admin", $"/members?q={member.Name}"), ("admin", $"/members/{member.Id}"),
                ("admin", "/claims"), ("reviewer", "/claims/review"), ("reviewer", $"/claims/{claim.Number}"), ("admin", "/audit"), ("member", "/"),
                ("unit", "/unit"), ("finance", "/premiums"), ("finance", "/payments"), ("admin", "/users"), ("member", "/enrol"),
            })
            {
                using var client = await SignInAsync(url, user);
                var times = new List<double>();
                for (var i = 0; i < 5 + Rounds; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await client.GetAsync(path);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                        throw new InvalidOperationException($"{path}: {response.StatusCode}");
                    if (i >= 5)
                        times.Add(clock.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Say($"{path,-34} {user,-9} {times[times.Count / 2],8:0.0} {times[(int)(times.Count * 0.95)],8:0.0} {times[^1],8:0.0}");
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task WaitAsync(string url)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(url + "/account/login")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException("the web application did not start");
    }

    /// <summary>
    /// Signs in through the login form, as a browser does: its antiforgery token, then the cookie.
    /// The cookies are carried by hand: they are Secure, which a browser honours on 127.0.0.1 and
    /// HttpClient's cookie container does not.
    /// </summary>
    private static async Task<HttpClient> SignInAsync(string url, string user)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
        using var page = await client.GetAsync("/account/login");
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.UserName"] = user, ["Input.Password"] = "Demo2026",
            }),
        };
        post.Headers.Add("Cookie", Cookies(page));
        using var response = await client.SendAsync(post);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"{user} could not sign in: {response.StatusCode}");
        client.DefaultRequestHeaders.Add("Cookie", Cookies(page) + "; " + Cookies(response));
        return client;
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
