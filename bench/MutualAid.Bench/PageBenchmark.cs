using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MutualAid.Data;
using MutualAid.Demo;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// The web application in Release, signed in as each role: from the home page, every link the
/// role can follow (one page of each kind, such as one claim), each fetched once (the first time,
/// which also fills what pages share) and then <c>rounds</c> times, each after an event (an audit
/// line); the time from request to the last byte on the same machine
/// (loopback), so it is the server's time to the tenth of a millisecond. The server's peak
/// memory is read at the end.
/// </summary>
internal static partial class PageBenchmark
{
    private static readonly string[] Users = ["admin", "clerk", "reviewer", "finance", "unit", "member"];

    /// <summary>The demo city (SQLite).</summary>
    public static async Task RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-bench-");
        try
        {
            var database = Database.Parse($"Data Source={Path.Combine(folder.FullName, "demo.db")}");
            await new DemoCity(database, TimeProvider.System).RunAsync(default);
            await TimeEveryPageAsync(database, rounds: 30);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    public static async Task TimeEveryPageAsync(Database database, int rounds)
    {
        var url = "http://127.0.0.1:5099";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MutualAid.Web.dll"), "--urls", url, "--contentRoot", Path.Combine(Repository(), "src", "MutualAid.Web")]);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment[Database.EnvironmentVariable] = database.ConnectionString;
        start.Environment["MUTUALAID_DEMO"] = "true";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var server = Process.Start(start)!;
        try
        {
            await WaitAsync(url);
            await using (var db = database.CreateContext())
            {
                Say($"{database.Provider}: {db.Members.Count():N0} members, {db.Claims.Count():N0} claims; every page of every role, {rounds} requests a page after one to warm up");
                // The home page's figures are shared until the next event: what counting them afresh costs, city-wide and for a district.
                foreach (var district in new long?[] { null, db.Districts.OrderBy(d => d.Code).First().Id })
                {
                    var scope = new Access.UserScope(0, "bench", "bench", new HashSet<string>([Access.Roles.Admin]), district, null, null);
                    var times = new List<double>();
                    for (var i = 0; i < 4; i++)
                    {
                        var clock = Stopwatch.StartNew();
                        await Reports.Overview.ForAsync(db, scope, DateTime.UtcNow, default);
                        times.Add(clock.Elapsed.TotalMilliseconds);
                    }
                    Say($"home figures counted afresh ({(district is null ? "city" : "one district")}): {times.Skip(1).Order().ElementAt(1):0.0} ms (median of 3 after one)");
                }
            }
            Say($"{"user",-9} {"page",-44} {"first",8} {"median",8} {"p95",8} {"max",8}  ms (an event before each timed request)");
            var slowest = 0.0;
            // A busy office: something happens (an audit line, as every business event writes) before each timed request,
            // so no page is served figures counted since the last event unless counting them is fast.
            await using var events = database.CreateContext();
            foreach (var user in Users)
            {
                using var client = await SignInAsync(url, user);
                foreach (var path in await CrawlAsync(client))
                {
                    var times = new List<double>();
                    var first = 0.0;
                    var status = HttpStatusCode.OK;
                    for (var i = 0; i <= rounds; i++)
                    {
                        if (i > 0)
                        {
                            events.AuditEntries.Add(new Auditing.AuditEntry(DateTime.UtcNow, "bench", "基准测试事件", path, null, null));
                            await events.SaveChangesAsync();
                        }
                        var clock = Stopwatch.StartNew();
                        using var response = await client.GetAsync(path);
                        await response.Content.ReadAsByteArrayAsync();
                        status = response.StatusCode;
                        if (i > 0)
                            times.Add(clock.Elapsed.TotalMilliseconds);
                        else
                            first = clock.Elapsed.TotalMilliseconds;
                    }
                    times.Sort();
                    slowest = Math.Max(slowest, times[times.Count / 2]);
                    Say($"{user,-9} {Shorten(path),-44} {first,8:0.0} {times[times.Count / 2],8:0.0} {times[(int)(times.Count * 0.95)],8:0.0} {times[^1],8:0.0}{(status == HttpStatusCode.OK ? "" : $"  HTTP {(int)status}")}");
                }
            }
            server.Refresh();
            Say($"slowest median {slowest:0.0} ms; the server's peak working set {server.PeakWorkingSet64 / 1024 / 1024:N0} MB");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>Every page a user reaches from the home page by links, one of each kind (links alike but for their numbers).</summary>
    private static async Task<List<string>> CrawlAsync(HttpClient client)
    {
        var pages = new List<string>();
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && pages.Count < 60)
        {
            var path = queue.Dequeue();
            if (!kinds.Add(Kind(path)))
                continue;
            pages.Add(path);
            using var response = await client.GetAsync(path);
            foreach (Match link in Link().Matches(await response.Content.ReadAsStringAsync()))
            {
                var target = WebUtility.HtmlDecode(link.Groups[1].Value).Split('#')[0];
                if (target.StartsWith('/') && !target.StartsWith("//", StringComparison.Ordinal) && !Skip().IsMatch(target))
                    queue.Enqueue(target);
            }
        }
        return pages;
    }

    /// <summary>A page's kind: its path but for numbers, and its filters; another order, page or length is the same kind.</summary>
    private static string Kind(string path)
    {
        var parts = path.Split('?', 2);
        var filters = parts.Length == 1 ? [] : parts[1].Split('&').Where(p => p.Split('=')[0] is not ("sort" or "desc" or "page" or "size")).Order(StringComparer.Ordinal).ToArray();
        return Digits().Replace(parts[0], "#") + "?" + string.Join("&", filters);
    }

    private static string Shorten(string path) => path.Length <= 44 ? path : path[..41] + "...";

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

    /// <summary>A link that is not a download.</summary>
    [GeneratedRegex("<a (?![^>]*download)[^>]*href=\"([^\"]+)\"")]
    private static partial Regex Link();

    /// <summary>Links that leave the pages: downloads, files, documents, print views, signing out, the stub cashier.</summary>
    [GeneratedRegex(@"(\.xlsx|\.csv|/file|/documents/|/template|/print/|/account/logout|/pay/stub|/openapi)", RegexOptions.IgnoreCase)]
    private static partial Regex Skip();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
