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
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
            var queue = new Queue<string>(["/"]);
            while (queue.Count > 0 && seen.Count < 60)
            {
                var path = queue.Dequeue();
                if (!seen.Add(path))
                    continue;
                using var response = await browser.GetAsync(path);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{user} GET {path}: HTTP {(int)response.StatusCode}");
                var html = await response.Content.ReadAsStringAsync(Ct);
                foreach (var link in Href().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Split('#')[0]))
                {
                    if (link.Length == 0 || link.StartsWith("//", StringComparison.Ordinal) || WalkTests.Skip().IsMatch(link) || seen.Contains(link))
                        continue;
                    var kind = WalkTests.Digits().Replace(link.Split('?')[0], "#");
                    if (kinds.TryGetValue(kind, out var count) && count >= 2)
                        continue;
                    kinds[kind] = count + 1;
                    queue.Enqueue(link);
                }
            }
            reached[user] = seen.Count;
        }

        Assert.True(reached.Values.All(n => n >= 3), string.Join(", ", reached.Select(r => $"{r.Key} {r.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [GeneratedRegex("<a [^>]*href=\"(/[^\"]*)\"")]
    private static partial Regex Href();
}
