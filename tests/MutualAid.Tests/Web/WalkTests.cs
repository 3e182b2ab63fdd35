using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MutualAid.Schemes;

namespace MutualAid.Tests.Web;

/// <summary>
/// Every page as every role, in headless Chromium: from the home page, each link the role can
/// follow (two of each kind of page, such as two claims), each answered without a server error
/// and each in words: no code word of the display-name table (<see cref="Names.CodeWords"/>, the
/// schemes' plan and benefit codes) in what the page shows. Raw files shown as such (a scheme's
/// text in <c>pre</c>) are not words. A screenshot of each page is kept.
/// </summary>
public sealed partial class WalkTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static readonly string Screenshots = Path.Combine(Chromium.Screenshots, "walk");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("admin")]
    [InlineData("clerk")]
    [InlineData("reviewer")]
    [InlineData("finance")]
    [InlineData("unit")]
    [InlineData("member")]
    public async Task EveryPage_AsEachRole_AnswersAndSpeaksChinese(string user)
    {
        var server = demo.Server;
        await using var db = demo.Db();
        var plans = await PlanNames.LoadAsync(db, Ct);
        var codes = new Regex(@"(?<![A-Za-z_])(" + string.Join("|", Names.CodeWords.Concat(plans.Codes).OrderByDescending(c => c.Length).Select(Regex.Escape)) + @")(?![A-Za-z_])");
        var page = await chromium.SignInAsync(server.Url, user);
        Directory.CreateDirectory(Screenshots);

        var failures = new List<string>();
        var seen = await WalkAsync(async path =>
        {
            var response = await page.GotoAsync(path);
            var status = response?.Status ?? 0;
            if (status >= 500)
                failures.Add($"{path}: HTTP {status}");
            var text = await page.EvaluateAsync<string>(
                "() => { const b = document.body.cloneNode(true); b.querySelectorAll('pre, code, script, style, [data-raw]').forEach(e => e.remove()); return b.innerText; }");
            foreach (var word in codes.Matches(text).Select(m => m.Value).Distinct())
                failures.Add($"{path}: “{word}” 是代码，应显示中文：…{Around(text, word)}…");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{user}{Slug(path)}.png") });
            return await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('a[href]')].filter(a => !a.hasAttribute('download')).map(a => a.getAttribute('href'))");
        });

        Assert.True(seen.Count >= 3, $"{user} reached only {string.Join(", ", seen)}");
        Assert.True(failures.Count == 0, $"{user}, {seen.Count} pages:\n" + string.Join("\n", failures.Distinct()));
    }

    /// <summary>
    /// From home, every link <paramref name="visit"/> finds on a page (it answers a page's links), two pages of
    /// each kind (two claims, two members), sixty at most: the pages visited.
    /// </summary>
    internal static async Task<HashSet<string>> WalkAsync(Func<string, Task<string[]>> visit)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && seen.Count < 60)
        {
            var path = queue.Dequeue();
            if (!seen.Add(path))
                continue;
            foreach (var link in (await visit(path)).Where(l => l.StartsWith('/') && !l.StartsWith("//", StringComparison.Ordinal)))
            {
                var target = link.Split('#')[0];
                if (target.Length == 0 || Skip().IsMatch(target) || seen.Contains(target))
                    continue;
                var kind = Digits().Replace(target.Split('?')[0], "#");
                if (kinds.TryGetValue(kind, out var count) && count >= 2)
                    continue;
                kinds[kind] = count + 1;
                queue.Enqueue(target);
            }
        }
        return seen;
    }

    private static string Around(string text, string word)
    {
        var at = text.IndexOf(word, StringComparison.Ordinal);
        var start = Math.Max(0, at - 20);
        return text.Substring(start, Math.Min(text.Length - start, word.Length + 40)).ReplaceLineEndings(" ");
    }

    private static string Slug(string path) => path == "/" ? "-home" : Regex.Replace(path, @"[^A-Za-z0-9]+", "-").TrimEnd('-');

    /// <summary>Links that leave the pages: downloads, files, documents, signing out, the stub cashier.</summary>
    [GeneratedRegex(@"(\.xlsx|\.csv|/file|/documents/|/template|/account/logout|/pay/stub|/openapi)", RegexOptions.IgnoreCase)]
    private static partial Regex Skip();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
