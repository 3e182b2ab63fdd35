using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// The price a unit is charged by, on its page: its kind (单位性质) and, on each line of the payment
/// notice, the price rule (计价). Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; the
/// screenshot is kept in the test output's screenshots folder.
/// </summary>
public sealed class PriceBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task AUnitOfficer_SeesTheUnitsKind_AndThePriceRuleOfEachNoticeLine()
    {
        await using var db = Db();
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId!.Value).SingleAsync(Ct);
        var kind = await db.Units.Where(u => u.Id == unitId).Select(u => u.Kind).SingleAsync(Ct);
        // The period the portal opens on: the latest period's own start.
        var start = await db.Enrollments.Where(e => e.UnitId == unitId).OrderByDescending(e => e.End).ThenBy(e => e.Start).Select(e => e.Start).FirstAsync(Ct);
        // The lines the unit owes a part of (a gifted enrolment is the union's).
        var rules = await db.Enrollments.Where(e => e.UnitId == unitId && e.Start == start && e.Status != EnrollmentStatus.Withdrawn
                && (e.Shares.Worker > Money.Zero || e.Shares.Employer > Money.Zero))
            .Select(e => e.PriceRule).Distinct().ToListAsync(Ct);
        var page = await chromium.SignInAsync(demo.Server.Url, "unit");

        await page.GetByRole(AriaRole.Link, new() { Name = "本单位" }).ClickAsync();

        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync($"单位性质{PremiumNames.ChineseName(kind)}");
        var notice = page.Locator("section.notice");
        await Assertions.Expect(notice.GetByRole(AriaRole.Columnheader, new() { Name = "计价" })).ToBeVisibleAsync();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            Assert.Matches(@"\d 元/年", rule);
            await Assertions.Expect(notice).ToContainTextAsync(rule);
        }
        await Chromium.ShotAsync(page, "unit-notice-price");
    }
}
