using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;
using MutualAid.Organisation;
using MutualAid.Reports;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// Two demo cities in one PostgreSQL database (西安 and 宝鸡 under 陕西省办事处 under the
/// association), each in its own schema, seeded by <c>mutualaid demo --region</c>; B's ids start
/// far above A's, so a B record named by id or number is one A does not hold. One web server on it.
/// </summary>
public sealed class RegionCities : IAsyncDisposable
{
    public const string A = "610100", B = "610300";

    /// <summary>The host name under which B's people reach the web (<c>mutualaid region host</c>).</summary>
    public const string BHost = "bj.mutualaid.test";

    private readonly Lazy<Task<RegionCities>> _ready;
    private TestDatabase? _database;
    private WebServer? _server;

    public RegionCities() => _ready = new(BuildAsync);

    public TestDatabase Database => _database!;

    public WebServer Server => _server!;

    /// <summary>Strings of each region's records (names, ID numbers, claim numbers, unit codes) that the other region does not have.</summary>
    public IReadOnlyList<string> OnlyA { get; private set; } = [];

    public IReadOnlyList<string> OnlyB { get; private set; } = [];

    public long BMemberId { get; private set; }

    public string BClaimNumber { get; private set; } = "";

    public Task<RegionCities> ReadyAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable)))
            Assert.Skip($"PostgreSQL not configured: set {TestDatabase.PostgresVariable}");
        return _ready.Value;
    }

    public MutualAid.Data.Database Region(string code) => Database.Database.InSchema(RegionDirectory.SchemaFor(code));

    private async Task<RegionCities> BuildAsync()
    {
        _database = await TestDatabase.CreateAsync("postgres");
        var connection = _database.Database.ConnectionString;
        var directory = new RegionDirectory(_database.Database);
        await directory.AddOfficeAsync("QG", "中国职工保险互助会", null, default);
        await directory.AddOfficeAsync("610000", "陕西省办事处", "QG", default);
        foreach (var (code, name) in new[] { (A, "西安市"), (B, "宝鸡市") })
            Assert.Equal(0, (await CliRunner.RunAsync("region", "add", code, name, "--office", "610000", "--db", connection)).ExitCode);
        await using (var db = Region(B).CreateContext())
            await db.Database.ExecuteSqlRawAsync("""
                SELECT setval(pg_get_serial_sequence(quote_ident(table_name::text), 'id'), 50000000)
                FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
                """);
        foreach (var code in new[] { A, B })
        {
            var demo = await CliRunner.RunAsync(_database, "demo", "--region", code);
            Assert.True(demo.ExitCode == 0, demo.Stderr);
        }
        var host = await CliRunner.RunAsync("region", "host", B, BHost, "--db", connection);
        Assert.True(host.ExitCode == 0, host.Stderr);
        await directory.AddOfficeUserAsync("qg-stats", "总会统计", "QG", Chromium.Password, default);
        await directory.AddOfficeUserAsync("sx-stats", "陕西省办事处统计", "610000", Chromium.Password, default);

        var a = await RecordsAsync(A);
        var b = await RecordsAsync(B);
        OnlyA = Only(a, b);
        OnlyB = Only(b, a);
        await using (var db = Region(B).CreateContext())
        {
            BMemberId = await db.Members.MinAsync(m => m.Id);
            BClaimNumber = (await db.Claims.OrderBy(c => c.Id).FirstAsync()).Number;
        }
        _server = await WebServer.StartOnAsync(connection, ("MUTUALAID_DEMO", "false"), (MutualAid.Data.Database.DocumentsVariable, _database.Database.DocumentFolder));
        return this;
    }

    private async Task<List<string>> RecordsAsync(string region)
    {
        await using var db = Region(region).CreateContext();
        var members = await db.Members.Select(m => new { m.Name, m.IdNumber }).ToListAsync();
        var claims = await db.Claims.ToListAsync();
        return [.. members.Select(m => m.Name), .. members.Select(m => m.IdNumber), .. claims.Select(c => c.Number), .. await db.Units.Select(u => u.Code).ToListAsync()];
    }

    /// <summary>The first's strings the second lacks: names of three characters (shorter ones are found inside other words), no part of any of the second's strings.</summary>
    private static List<string> Only(List<string> mine, List<string> theirs)
    {
        var all = string.Join("\n", theirs);
        return [.. mine.Distinct().Where(s => (s.Length >= 3) && !all.Contains(s, StringComparison.Ordinal) && !s.Any(char.IsWhiteSpace))];
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}

/// <summary>
/// Regions' isolation: a clerk, administrator, unit officer and member of region A walk every
/// page reachable from home, every download and every API endpoint, and nothing of region B
/// appears; a B record named by id or number is not found; the association sees both regions'
/// totals and opens no region's records; <c>db migrate</c> migrates every region.
/// </summary>
public sealed partial class RegionTests(RegionCities cities, Chromium chromium) : IClassFixture<RegionCities>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("clerk")]
    [InlineData("admin")]
    [InlineData("unit")]
    [InlineData("member")]
    [InlineData("finance")]
    public async Task RegionUser_WalksEveryPage_AndSeesNothingOfAnotherRegion(string role)
    {
        var r = await cities.ReadyAsync();
        var onlyB = SearchValues.Create([.. r.OnlyB], StringComparison.Ordinal);
        var onlyA = SearchValues.Create([.. r.OnlyA], StringComparison.Ordinal);
        using var browser = await PlainBrowser.SignInAsync(r.Server.Url, $"{RegionCities.A}-{role}");

        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        var ownSeen = 0;
        while (queue.Count > 0 && seen.Count < 120)
        {
            var path = queue.Dequeue();
            if (!seen.Add(path))
                continue;
            using var response = await browser.GetAsync(path);
            if ((int)response.StatusCode >= 500)
                failures.Add($"{path}: HTTP {(int)response.StatusCode}");
            var text = await TextAsync(response);
            if (Find(text, r.OnlyB, onlyB) is { } leaked)
                failures.Add($"{path}: 宝鸡的“{leaked}”");
            if (Find(text, r.OnlyA, onlyA) is not null)
                ownSeen++;
            if (response.Headers.Location is { } location && location.OriginalString.StartsWith('/'))
                Enqueue(location.OriginalString);
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            foreach (Match link in Href().Matches(text))
                Enqueue(WebUtility.HtmlDecode(link.Groups[1].Value));
        }

        void Enqueue(string link)
        {
            var target = link.Split('#')[0];
            if (target.Length == 0 || target.StartsWith("//", StringComparison.Ordinal) || Leave().IsMatch(target) || seen.Contains(target))
                return;
            var kind = Digits().Replace(target.Split('?')[0], "#");
            if (kinds.TryGetValue(kind, out var count) && count >= 2)
                return;
            kinds[kind] = count + 1;
            queue.Enqueue(target);
        }

        Assert.True(seen.Count >= 4, $"{role} reached only {string.Join(", ", seen)}");
        // The check finds a region's records where they are shown: A's own appear.
        Assert.True(ownSeen > 0, $"{role}: none of 西安's records on {seen.Count} pages");
        Assert.True(failures.Count == 0, $"{role}, {seen.Count} pages:\n" + string.Join("\n", failures.Distinct()));

        // A B record named by its id or number is not found.
        foreach (var path in new[] { $"/members/{r.BMemberId}", $"/claims/{r.BClaimNumber}" })
        {
            using var response = await browser.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"{role} {path}: {(int)response.StatusCode}");
            Assert.Null(Find(await TextAsync(response), r.OnlyB, onlyB));
        }
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("admin")]
    [InlineData("unit")]
    [InlineData("member")]
    public async Task RegionUser_EveryApiEndpoint_ShowsNothingOfAnotherRegion(string role)
    {
        var r = await cities.ReadyAsync();
        var onlyB = SearchValues.Create([.. r.OnlyB], StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(r.Server.Url) };
        using var tokenResponse = await http.PostAsJsonAsync("/api/v1/token", new { userName = $"{RegionCities.A}-{role}", password = Chromium.Password }, Ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // Every GET of the API, from its OpenAPI document, with A's and B's records for the ids.
        long aMember;
        await using (var db = r.Region(RegionCities.A).CreateContext())
            aMember = await db.Members.MinAsync(m => m.Id, Ct);
        var openApi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = openApi.GetProperty("paths").EnumerateObject().Where(p => p.Value.TryGetProperty("get", out _)).Select(p => p.Name).Where(p => p.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.Contains("/api/v1/members/{id}/claims", paths);
        foreach (var path in paths)
        {
            foreach (var id in new[] { aMember, r.BMemberId })
            {
                var url = path.Replace("{id}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{code}", "X", StringComparison.Ordinal);
                using var response = await http.GetAsync(url, Ct);
                Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}");
                Assert.True(Find(await TextAsync(response), r.OnlyB, onlyB) is null, $"{role} {url} shows 宝鸡's records");
                if (id == r.BMemberId && path.Contains("{id}", StringComparison.Ordinal))
                    Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{role} {url}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Association_SeesBothRegionsTotals_AndNoRegionsRecords()
    {
        var r = await cities.ReadyAsync();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var scope = new UserScope(0, "", "", new HashSet<string> { Roles.Admin }, null, null, null);
        var figures = new List<Overview>();
        foreach (var code in new[] { RegionCities.A, RegionCities.B })
        {
            await using var db = r.Region(code).CreateContext();
            figures.Add(await Overview.ForAsync(db, scope, now, Ct));
        }
        Assert.NotEqual(figures[0].Members, figures[1].Members);

        foreach (var user in new[] { "qg-stats", "sx-stats" })
        {
            using var browser = await PlainBrowser.SignInAsync(r.Server.Url, user);
            using var home = await browser.GetAsync("/");
            Assert.EndsWith("/rollup", home.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
            using var rollup = await browser.GetAsync("/rollup");
            var html = WebUtility.HtmlDecode(await rollup.Content.ReadAsStringAsync(Ct));
            Assert.Contains("西安市", html);
            Assert.Contains("宝鸡市", html);
            foreach (var f in figures)
            {
                Assert.Contains($">{f.Members.ToString("N0", CultureInfo.InvariantCulture)}<", html);
                Assert.Contains($">{f.Paid.ToDisplayString()}<", html);
                Assert.Contains($">{f.Bank!.Value.ToDisplayString()}<", html);
            }
            Assert.Contains($">{figures.Sum(f => f.Members).ToString("N0", CultureInfo.InvariantCulture)}<", html);
            Assert.Contains($">{figures.Sum(f => f.ActiveEnrollments).ToString("N0", CultureInfo.InvariantCulture)}<", html);
            Assert.Contains($">{new MutualAid.Common.Money(figures.Sum(f => f.Paid.Fen)).ToDisplayString()}<", html);
            Assert.Contains($">{new MutualAid.Common.Money(figures.Sum(f => f.Bank!.Value.Fen)).ToDisplayString()}<", html);

            // No region's records: the office's context is the association's schema, which holds none, so no member, claim or list of either shows one.
            long aMember;
            await using (var db = r.Region(RegionCities.A).CreateContext())
                aMember = await db.Members.MinAsync(m => m.Id, Ct);
            foreach (var path in new[] { "/members", $"/members/{aMember}", $"/members/{r.BMemberId}", $"/claims/{r.BClaimNumber}", "/claims", "/reports" })
            {
                using var response = await browser.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode != HttpStatusCode.OK || (Find(text, r.OnlyA, SearchValues.Create([.. r.OnlyA], StringComparison.Ordinal)) is null
                    && Find(text, r.OnlyB, SearchValues.Create([.. r.OnlyB], StringComparison.Ordinal)) is null), $"{user} {path}: {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task Rollup_Page_Screenshot()
    {
        var r = await cities.ReadyAsync();
        var page = await chromium.SignInAsync(r.Server.Url, "qg-stats");
        await page.GotoAsync("/rollup");
        Assert.Equal(2, await page.Locator("tbody tr").CountAsync());
        await Chromium.ShotAsync(page, "rollup");
    }

    /// <summary>
    /// Nobody is signed in to self-registration: under B's host name it works in B (a B member is
    /// known and gets a code to the phone on file, stored in B); under the server's own name, in the
    /// default region, where nobody knows them. A host name is one region's only.
    /// </summary>
    [Fact]
    public async Task AnonymousPages_UnderARegionsHost_WorkInThatRegion()
    {
        await cities.ReadyAsync();
        string idNumber, name;
        await using (var db = cities.Region(RegionCities.B).CreateContext())
        {
            var accounts = db.Users.Where(u => u.MemberId != null).Select(u => u.MemberId);
            var member = await db.Members.Where(m => m.Phone != null && !accounts.Contains(m.Id)).OrderBy(m => m.Id).FirstAsync(Ct);
            (idNumber, name) = (member.IdNumber, member.Name);
        }
        (string, string)[] request = [("_handler", "register"), ("Input.Action", "code"), ("Input.IdNumber", idNumber), ("Input.Name", name), ("Input.Phone", "")];

        using var own = new PlainBrowser(cities.Server.Url);
        var unknown = await TextAsync(await own.SubmitAsync("/account/register", request));
        using var baoji = new PlainBrowser(cities.Server.Url) { Host = RegionCities.BHost };
        var sent = await TextAsync(await baoji.SubmitAsync("/account/register", request));

        Assert.Contains("手机号: 不能为空", unknown);
        Assert.Contains("验证码已发送到您登记的手机号", sent);
        await using (var db = cities.Region(RegionCities.B).CreateContext())
            Assert.Equal(1, await db.OneTimeCodes.CountAsync(c => c.IdNumber == idNumber, Ct));
        await using (var db = cities.Region(RegionCities.A).CreateContext())
            Assert.Equal(0, await db.OneTimeCodes.CountAsync(c => c.IdNumber == idNumber, Ct));

        var taken = await CliRunner.RunAsync("region", "host", RegionCities.A, RegionCities.BHost.ToUpperInvariant(), "--db", cities.Database.Database.ConnectionString);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains($"{RegionCities.BHost} 已是统筹区 {RegionCities.B} 宝鸡市的主机名", taken.Stderr);
        var wrong = await CliRunner.RunAsync("region", "host", RegionCities.A, "http://xa.example.org", "--db", cities.Database.Database.ConnectionString);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("不是主机名", wrong.Stderr);
    }

    [Fact]
    public async Task DbMigrate_MigratesEveryRegion()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var directory = new RegionDirectory(database.Database);
        await directory.AddOfficeAsync("QG", "中国职工保险互助会", null, Ct);
        await directory.AddRegionAsync("610100", "西安市", "QG", Ct);
        // A region entered by an older version, its schema not migrated yet.
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE SCHEMA region_610300", Ct);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO association.offices (code, name, parent_code, region_schema) VALUES ('610300', '宝鸡市', 'QG', 'region_610300')", Ct);
        }
        var baoji = database.Database.InSchema("region_610300");
        Assert.NotEmpty(await baoji.PendingMigrationsAsync(Ct));

        var run = await CliRunner.RunAsync("db", "migrate", "--db", database.Database.ConnectionString);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("region_610300", run.Stdout);
        foreach (var schema in new[] { "association", "region_610100", "region_610300" })
            Assert.Empty(await database.Database.InSchema(schema).PendingMigrationsAsync(Ct));
        await using (var db = baoji.CreateContext())
            Assert.Equal(0, await db.Members.CountAsync(Ct));
    }

    /// <summary>The first of <paramref name="strings"/> in the text, or null.</summary>
    private static string? Find(string text, IReadOnlyList<string> strings, SearchValues<string> values)
    {
        var at = text.AsSpan().IndexOfAny(values);
        return at < 0 ? null : strings.Where(s => string.CompareOrdinal(text, at, s, 0, s.Length) == 0).OrderByDescending(s => s.Length).First();
    }

    /// <summary>A page's text, or the text of every part of an .xlsx download.</summary>
    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K')
            return WebUtility.HtmlDecode(Encoding.UTF8.GetString(bytes));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var text = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(await reader.ReadToEndAsync(Ct));
        }
        return text.ToString();
    }

    [GeneratedRegex("href=\"(/[^\"]*)\"")]
    private static partial Regex Href();

    /// <summary>Links that leave the pages or change things: signing out, the stub cashier, documents (images), the API's description.</summary>
    [GeneratedRegex(@"(/account/logout|/pay/stub|/documents/|/openapi)", RegexOptions.IgnoreCase)]
    private static partial Regex Leave();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
