using System.Net;
using System.Text.RegularExpressions;
using MutualAid.Data;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// The web application on PostgreSQL, as a city runs it: the web builds the demo city at its start
/// (<c>MUTUALAID_DEMO</c>), and every page each role reaches from home (two of each kind, as
/// <see cref="WalkTests"/> walks them in Chromium on SQLite) answers without a server error. PostgreSQL's
/// queries truly await where SQLite's complete at once, which is how a page once rendered before its data
/// was loaded and ran two queries at once on its request's DbContext (<see cref="Components.PageBase"/>).
/// </summary>
public sealed partial class PostgresPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnPostgreSQL_EveryPageOfEveryRole_Answers()
    {
        await using var empty = await TestDatabase.CreateEmptyPostgresAsync();
        await using var server = await WebServer.StartAsync((Database.EnvironmentVariable, empty.Database.ConnectionString), ("MUTUALAID_DEMO", "true"));
        var failures = new List<string>();
        var reached = new Dictionary<string, int>();
        foreach (var user in new[] { "admin", "clerk", "reviewer", "finance", "unit", "member" })
        {
            using var browser = await PlainBrowser.SignInAsync(server.Url, user);
            var seen = await WalkTests.WalkAsync(async path =>
            {
                using var response = await browser.GetAsync(path);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{user} GET {path}: HTTP {(int)response.StatusCode}");
                return [.. Href().Matches(await response.Content.ReadAsStringAsync(Ct)).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];
            });
            reached[user] = seen.Count;
        }

        Assert.True(reached.Values.All(n => n >= 3), string.Join(", ", reached.Select(r => $"{r.Key} {r.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex("<a [^>]*href=\"(/[^\"]*)\"")]
    private static partial Regex Href();
}
