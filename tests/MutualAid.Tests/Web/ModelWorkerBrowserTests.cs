using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// In the browser: the clerk records a model worker on the member page, the demo's model worker with their
/// subsidy claim; a unit's officer files a claim for the unit's worker from the unit portal, and is refused
/// for another unit's. Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; screenshots in the test
/// output's screenshots folder.
/// </summary>
public sealed class ModelWorkerBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AClerk_RecordsAModelWorker_AndTheDemosModelWorkerHasTheirSubsidyClaim()
    {
        await using var db = demo.Db();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId).SingleAsync(Ct);
        var member = await db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district) && !db.ModelWorkers.Any(t => t.MemberId == m.Id))
            .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        var page = await chromium.SignInAsync(demo.Server.Url, "clerk");

        await page.GotoAsync($"{demo.Server.Url}/members/{member}");
        await Chromium.OpenAsync(page, "登记劳模");
        await page.GetByLabel("级别").SelectOptionAsync("省部级");
        await page.GetByLabel("称号").FillAsync("浙江省劳动模范");
        await page.GetByLabel("授予年份").FillAsync("2018");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记劳模" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已登记为省部级劳模：浙江省劳动模范（2018 年）");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("省部级劳模：浙江省劳动模范");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "登记劳模" })).ToHaveCountAsync(0);
        await Chromium.ShotAsync(page, "model-worker-recorded");
        var stored = await db.ModelWorkers.AsNoTracking().SingleAsync(t => t.MemberId == member, Ct);
        Assert.Equal((MutualAid.ModelWorkers.ModelWorkerLevel.Provincial, "clerk"), (stored.Level, stored.RecordedBy));
        Assert.Equal("网页 127.0.0.1", (await db.AuditEntries.SingleAsync(a => a.Action == "登记劳模" && a.Subject == $"会员 {member}", Ct)).From);

        var demoWorker = await db.ModelWorkers.AsNoTracking().Where(t => t.MemberId != member).SingleAsync(Ct);
        var claim = await db.Claims.AsNoTracking().Where(c => c.MemberId == demoWorker.MemberId).Select(c => new { c.Id, c.EventDate }).SingleAsync(Ct);
        await page.GotoAsync($"{demo.Server.Url}/members/{demoWorker.MemberId}");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("全国劳模：全国劳动模范（2015 年授予");
        await Chromium.ShotAsync(page, "model-worker-demo-member");
        await page.GotoAsync($"{demo.Server.Url}/claims/{MutualAid.Claims.Claim.NumberOf(claim.EventDate, claim.Id)}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("全国劳模医疗补助");
        await Chromium.ShotAsync(page, "model-worker-demo-claim");
    }

    [Fact]
    public async Task AUnitsOfficer_FilesAClaimForTheirWorker_AndNotForAnotherUnits()
    {
        await using var db = demo.Db();
        var (own, other, discharge) = await UnitClaimApiTests.UnitMembersAsync(db);
        var ids = await db.Members.Where(m => m.Id == own || m.Id == other).ToDictionaryAsync(m => m.Id, m => m.IdNumber, Ct);
        var page = await chromium.SignInAsync(demo.Server.Url, "unit");

        await page.GotoAsync($"{demo.Server.Url}/claims/new?id={ids[other]}&kind=hospitalization&date={Day(discharge)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("不在您的受理范围");
        await Assertions.Expect(page.Locator("input[type=file]")).ToHaveCountAsync(0);
        await Chromium.ShotAsync(page, "unit-claim-other-unit");

        await page.GotoAsync($"{demo.Server.Url}/unit");
        await Chromium.ShotAsync(page, "unit-portal-claim-link");
        await page.GetByRole(AriaRole.Link, new() { Name = "代职工申请理赔" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("单位代办理赔");
        await page.GetByLabel("身份证号").FillAsync(ids[own]);
        await page.Locator("select[name=kind]").SelectOptionAsync("hospitalization");
        await page.GetByLabel("事件日期（住院为出院日期）").FillAsync(Day(discharge));
        await page.GetByRole(AriaRole.Button, new() { Name = "查看应交材料" }).ClickAsync();
        await page.GetByLabel("入院日期").FillAsync(Day(discharge.AddDays(-4)));
        await page.GetByLabel("医疗总费用（元）").FillAsync("9000");
        await page.GetByLabel("统筹支付（元）").FillAsync("6000");
        var files = page.Locator("input[type=file]");
        for (var i = 0; i < await files.CountAsync(); i++)
            await files.Nth(i).SetInputFilesAsync(new FilePayload { Name = $"材料{i}.jpg", MimeType = "image/jpeg", Buffer = TestFiles.Jpeg });
        await Chromium.ShotAsync(page, "unit-claim-intake");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交代办申请" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1 .state")).ToHaveTextAsync("待复核");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("单位代办");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("受理（单位代办，材料");
        await Chromium.ShotAsync(page, "unit-claim-filed");
        var claim = await db.Claims.AsNoTracking().SingleAsync(c => c.MemberId == own, Ct);
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId).SingleAsync(Ct);
        Assert.Equal(("unit", unitId), (claim.EnteredBy, claim.ThroughUnitId));
        Assert.True(await db.Notices.AnyAsync(n => n.ClaimId == claim.Id, Ct));
        Assert.False(await db.Claims.AnyAsync(c => c.MemberId == other && c.EnteredBy == "unit", Ct));
    }
}
