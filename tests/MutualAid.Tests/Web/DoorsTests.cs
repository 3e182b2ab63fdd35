using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MutualAid.Tests.Web;

/// <summary>The web's doors: every response carries the security headers, and no request, however bad, is answered 500.</summary>
public sealed partial class DoorsTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private static readonly string[] Routes =
    [
        "/", "/account/login", "/account/register", "/account/forgot", "/account/denied", "/members", "/members/999999999", "/claims", "/claims/new",
        "/claims/review", "/claims/NOPE", "/payments", "/payments/NOPE/file", "/premiums", "/reports", "/reports/income.xlsx?year=abc",
        "/schemes", "/schemes/NOPE/NOPE", "/users", "/audit", "/unit", "/unit/template", "/enrol", "/pay/stub", "/api/v1/me/claims",
        "/api/v1/me/plans", "/api/v1/members/1/claims", "/api/v1/members/abc/claims", "/api/v1/token", "/openapi/v1.json",
        "/site.css", "/site.js", "/no-such-page", "/health",
    ];

    private readonly WebServer _server = demo.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryRoute_CarriesTheSecurityHeaders_AndNoneAnswers500()
    {
        using var signedIn = await PlainBrowser.SignInAsync(_server.Url, "admin");
        using var anonymous = new PlainBrowser(_server.Url);
        var failures = new List<string>();

        foreach (var browser in new[] { anonymous, signedIn })
        {
            foreach (var route in Routes)
            {
                using var response = await browser.GetAsync(route);
                failures.AddRange(Check(response, $"{(browser == signedIn ? "admin" : "anonymous")} GET {route}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Logout_WithoutOrWithABadAntiforgeryToken_Is400()
    {
        using var admin = await PlainBrowser.SignInAsync(_server.Url, "admin");

        using var without = await admin.PostAsync("/account/logout", new FormUrlEncodedContent([]));
        using var bad = await admin.PostAsync("/account/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", "forged")]));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (without.StatusCode, bad.StatusCode));
        Assert.Contains("防伪令牌", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(Check(bad, "logout"));
    }

    [Fact]
    public async Task ThePaymentNotification_WithJsonOrNoBody_IsRefusedWithFail()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.Url) };

        using var json = await http.PostAsJsonAsync("/api/v1/payments/notify", new { order = "MA1" }, Ct);
        using var empty = await http.PostAsync("/api/v1/payments/notify", null, Ct);
        using var broken = await http.PostAsync("/api/v1/payments/notify", new StringContent("%%%=&&&%", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        foreach (var response in new[] { json, empty, broken })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("fail: ", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Empty(Check(response, "notify"));
        }
    }

    [Fact]
    public async Task TheApi_AnswersBadBodiesWith4xxAndAMessage()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.Url) };
        var token = (await (await http.PostAsJsonAsync("/api/v1/token", new { userName = "member", password = "Demo2026" }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        using var member = new HttpClient { BaseAddress = http.BaseAddress };
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

        HttpResponseMessage[] responses =
        [
            await http.PostAsync("/api/v1/token", Json("{\"userName\":"), Ct),
            await http.PostAsync("/api/v1/token", Json(""), Ct),
            await http.PostAsync("/api/v1/token", Json("[1,2]"), Ct),
            await http.PostAsync("/api/v1/token", new StringContent("userName=member", Encoding.UTF8, "text/plain"), Ct),
            await http.PostAsync("/api/v1/token", new FormUrlEncodedContent([new("userName", "member")]), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"hospitalization\",\"date\":\"2026-13-45\",\"documents\":[]}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"hospitalization\",\"date\":\"2026-01-05\",\"totalCost\":1e400,\"documents\":[]}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"hospitalization\",\"date\":\"2026-01-05\",\"totalCost\":99999999999999999999999999,\"documents\":[]}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"hospitalization\",\"date\":\"2026-01-05\"}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"date\":\"2026-01-05\"}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":null,\"date\":\"2026-01-05\",\"plans\":[null]}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"hospitalization\",\"date\":\"2026-01-05\",\"documents\":[null,{\"type\":\"idCard\"}]}"), Ct),
            await member.PostAsync("/api/v1/me/claims", Json("{\"kind\":\"x\",\"date\":\"2026-01-05\",\"documents\":[{\"type\":\"idCard\",\"fileName\":\"a.jpg\",\"contentBase64\":\"!!\"}]}"), Ct),
        ];

        var failures = new List<string>();
        foreach (var (response, i) in responses.Select((r, i) => (r, i)))
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            if ((int)response.StatusCode is < 400 or >= 500 || !HasChinese().IsMatch(body))
                failures.Add($"request {i}: {(int)response.StatusCode} {body}");
            failures.AddRange(Check(response, $"request {i}"));
            response.Dispose();
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AFailureInside_GetsAMessageWithItsTraceId_NotABlankPage()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_server.Url) };

        using var page = await http.GetAsync("/error", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Contains("系统出错", await page.Content.ReadAsStringAsync(Ct));
        Assert.DoesNotContain(Check(page, "GET /error"), f => !f.EndsWith(": 500", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Check(HttpResponseMessage response, string request)
    {
        if ((int)response.StatusCode >= 500)
            yield return $"{request}: {(int)response.StatusCode}";
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
        var csp = Header("Content-Security-Policy") ?? "";
        foreach (var part in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'" })
        {
            if (!csp.Contains(part, StringComparison.Ordinal))
                yield return $"{request}: Content-Security-Policy without {part}";
        }
        if (csp.Contains("unsafe-inline", StringComparison.Ordinal))
            yield return $"{request}: Content-Security-Policy allows unsafe-inline";
        if (Header("X-Frame-Options") != "DENY")
            yield return $"{request}: X-Frame-Options {Header("X-Frame-Options")}";
        if (Header("X-Content-Type-Options") != "nosniff")
            yield return $"{request}: X-Content-Type-Options {Header("X-Content-Type-Options")}";
        if (Header("Referrer-Policy") != "no-referrer")
            yield return $"{request}: Referrer-Policy {Header("Referrer-Policy")}";
    }

    [Theory]
    [InlineData("/claims/NOPE", "没有这件理赔")]
    [InlineData("/claims/C2026999999", "没有这件理赔")]
    [InlineData("/members/999999999", "没有这个会员")]
    [InlineData("/payments/batch/NOPE", "没有这个批次")]
    [InlineData("/payments/batch/P20260101999999?page=5", "没有这个批次")]
    public async Task ARecordThatIsNotThere_Is404_WithAChineseHeading(string route, string heading)
    {
        using var finance = await PlainBrowser.SignInAsync(_server.Url, "finance");

        using var response = await finance.GetAsync(route);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"<h1>{heading}</h1>", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    /// <summary>A filter that cannot be meant is said once, by the field's name, and left out; the page still answers.</summary>
    [Theory]
    [InlineData("admin", "/claims?max=-100", "最高金额“-100”不能为负数，已忽略")]
    [InlineData("finance", "/payments/list?min=-1", "最低金额“-1”不能为负数，已忽略")]
    [InlineData("finance", "/relief/report?year=99999", "年度“99999”不是 2000 至 2100 之间的年份")]
    [InlineData("reviewer", "/relief/applications?year=abc", "年度“abc”不是 2000 至 2100 之间的年份")]
    [InlineData("admin", "/notices?page=abc", "页码“abc”不是整数，已忽略")]
    public async Task ABadFilter_IsSaidOnce(string user, string route, string message)
    {
        using var browser = await PlainBrowser.SignInAsync(_server.Url, user);

        using var response = await browser.GetAsync(route);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Regex.Matches(html, Regex.Escape(message)));
    }

    /// <summary>Records keep user names; the pages name the people (the demo's batch and relief were made by the demo accounts).</summary>
    [Theory]
    [InlineData("finance", "/payments", "财务张敏 / 财务主管赵磊")]
    [InlineData("reviewer", "/relief/applications", "经办员王芳 / 复核员李强")]
    [InlineData("reviewer", "/relief/files", "经办员王芳 / 复核员李强")]
    public async Task Pages_NameThePeople_NotTheirUserNames(string user, string route, string people)
    {
        using var browser = await PlainBrowser.SignInAsync(_server.Url, user);

        using var response = await browser.GetAsync(route);

        Assert.Contains(people, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMembersPage_ShowsTheirHardshipFileAndRelief()
    {
        using var reviewer = await PlainBrowser.SignInAsync(_server.Url, "reviewer");
        using var list = await reviewer.GetAsync("/relief/applications");
        var member = Regex.Match(await list.Content.ReadAsStringAsync(Ct), "href=\"/members/(\\d+)\"").Groups[1].Value;

        using var page = await reviewer.GetAsync($"/members/{member}");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));

        Assert.Contains("困难档案与二次救助", html, StringComparison.Ordinal);
        Assert.Contains("已认定", html, StringComparison.Ordinal);
        Assert.Matches(@"<td>J\d{4}", html);
    }

    [Fact]
    public async Task TheHealthEndpoint_AnswersAnyone_WhenTheDatabaseIsCurrent()
    {
        using var anonymous = new PlainBrowser(_server.Url);

        using var response = await anonymous.GetAsync("/health");

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (response.StatusCode, await response.Content.ReadAsStringAsync(Ct)));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex HasChinese();

    /// <summary>The sign-in cookie over plain HTTP (an office's LAN address) and behind a proxy that speaks HTTPS.</summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData("https", true)]
    public async Task TheSignInCookie_FollowsTheSchemeTheVisitorUsed(string? forwardedProto, bool secure)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(_server.Url) };
        using var login = await http.GetAsync("/account/login", Ct);
        var antiforgeryCookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = WebUtility.HtmlDecode(Regex.Match(await login.Content.ReadAsStringAsync(Ct), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent([new("_handler", "login"), new("__RequestVerificationToken", token), new("Input.UserName", "clerk"), new("Input.Password", "Demo2026")]),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        if (forwardedProto is not null)
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);

        using var signedIn = await http.SendAsync(request, Ct);

        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("mutualaid=", StringComparison.Ordinal));
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
