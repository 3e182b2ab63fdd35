using Microsoft.EntityFrameworkCore;
using MutualAid.Archive;
using MutualAid.Claims;

namespace MutualAid.Tests.Web;

/// <summary>
/// In the browser: a claim of the demo's first year, archived, is still in its member's history, its
/// page opens, marked as archived and read only, and a paid one's advice still prints. Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names the browser.
/// </summary>
public sealed class ArchiveBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnArchivedClaim_IsStillInTheMembersHistory_AndItsPageOpens()
    {
        await using var db = demo.Db();
        var year = await db.Claims.Where(c => c.State == ClaimState.Paid).MinAsync(c => c.EventDate.Year, Ct);
        var (from, to) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        await db.Notices.Where(n => db.Claims.Any(c => c.Id == n.ClaimId && c.EventDate >= from && c.EventDate <= to))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, DateTime.UtcNow), Ct);
        // One batch of one claim: the year's own checks are ArchiveTests'.
        Assert.Equal(1, await new YearArchive(db, TimeProvider.System).MoveBatchAsync(year, 1, TestActors.As("admin"), Ct));
        var id = await db.Database.SqlQueryRaw<long>("SELECT id AS \"Value\" FROM archive_claims").SingleAsync(Ct);
        Claim claim;
        await using (var reading = await db.WithArchiveAsync(Ct))
            claim = await reading.Claims.SingleAsync(c => c.Id == id, Ct);
        Assert.False(await db.Claims.AnyAsync(c => c.Id == id, Ct));
        var page = await chromium.SignInAsync(demo.Server.Url, "reviewer");

        await page.GotoAsync($"{demo.Server.Url}/members/{claim.MemberId}");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("main")).ToContainTextAsync(claim.Number);
        await Chromium.ShotAsync(page, "archive-member-history");
        await page.GotoAsync($"{demo.Server.Url}/claims/{claim.Number}");

        await Microsoft.Playwright.Assertions.Expect(page.Locator("h1")).ToContainTextAsync(claim.Number);
        await Microsoft.Playwright.Assertions.Expect(page.Locator("main")).ToContainTextAsync("该理赔所在年度已归档，只供查阅。");
        await Chromium.ShotAsync(page, "archive-claim-page");
        if (claim.State == ClaimState.Paid)
        {
            await page.GotoAsync($"{demo.Server.Url}/print/advice/{claim.Number}");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("article.advice")).ToContainTextAsync(claim.Number);
            await Chromium.ShotAsync(page, "archive-advice");
        }
    }
}
