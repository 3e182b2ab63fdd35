using Microsoft.Playwright;

namespace MutualAid.Tests.Web;

/// <summary>
/// Headless Chromium (Debian's, driven by Playwright) for the browser tests: launched once per test
/// class (<c>IClassFixture</c>) when <c>MUTUALAID_TEST_CHROMIUM</c> names it, and its pages signed in as
/// a demo account. Pages wait minutes, not Playwright's 30 seconds: a busy machine must not turn the
/// suite red. office.lan is the test server reached by a LAN name, a plain-HTTP origin the browser does
/// not trust as it trusts 127.0.0.1.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Variable = "MUTUALAID_TEST_CHROMIUM";
    public const string Password = "Demo2026";

    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser, or the test skipped saying how to have one.</summary>
    public IBrowser Browser
    {
        get
        {
            if (_browser is null)
                Assert.Skip($"Chromium not configured: set {Variable}=/usr/bin/chromium (.ci/run does)");
            return _browser;
        }
    }

    public static bool Configured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public async ValueTask InitializeAsync()
    {
        if (!Configured)
            return;
        (_playwright, _browser) = await LaunchAsync();
        Directory.CreateDirectory(Screenshots);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable(Variable),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--host-resolver-rules=MAP office.lan 127.0.0.1"],
        });
        return (playwright, browser);
    }

    /// <summary>A page in a context of its own that waits minutes.</summary>
    public static async Task<IPage> PageAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(180_000);
        context.SetDefaultNavigationTimeout(180_000);
        Assertions.SetDefaultExpectTimeout(180_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page of the server at <paramref name="url"/> signed in as a demo account.</summary>
    public async Task<IPage> SignInAsync(string url, string user, ViewportSize? viewport = null)
    {
        var page = await PageAsync(Browser, new() { BaseURL = url, Locale = "zh-CN", AcceptDownloads = true, ViewportSize = viewport ?? new() { Width = 1280, Height = 900 } });
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator(".who")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Opens a folded action (a details element) by its summary.</summary>
    public static Task OpenAsync(IPage page, string action) => page.Locator("summary", new() { HasText = action }).ClickAsync();

    public static Task ShotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = fullPage });
}
