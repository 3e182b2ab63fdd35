using System.Net;
using System.Text.RegularExpressions;

namespace MutualAid.Tests.Web;

/// <summary>
/// A browser without JavaScript: keeps cookies by hand (the sign-in cookie is Secure and the
/// test server speaks plain HTTP on 127.0.0.1) and follows no redirect, so each answer is seen.
/// </summary>
internal sealed partial class PlainBrowser(string url) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
    private readonly Dictionary<string, string> _cookies = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PlainBrowser> SignInAsync(string url, string user)
    {
        var browser = new PlainBrowser(url);
        await browser.SubmitAsync("/account/login", ("_handler", "login"), ("Input.UserName", user), ("Input.Password", "Demo2026"));
        Assert.True(browser._cookies.ContainsKey("mutualaid"), $"{user} not signed in");
        return browser;
    }

    /// <summary>The host name every request names (a region's, <c>mutualaid region host</c>); the server's own when null.</summary>
    public string? Host { get; init; }

    /// <summary>Opens a page and sends its form: the page's antiforgery token and these fields.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, params (string Name, string Value)[] fields)
    {
        var page = await (await GetAsync(path)).Content.ReadAsStringAsync(Ct);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        return await PostAsync(path, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
    }

    public void Dispose() => _http.Dispose();

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Host is not null)
            request.Headers.Host = Host;
        if (_cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _http.SendAsync(request, Ct);
        foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = cookie.Split(';')[0].Split('=', 2);
            _cookies[pair[0]] = pair[1];
        }
        request.Dispose();
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
