using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Claims;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Tests.Web;

/// <summary>
/// A clerk takes a stay with surgery at the desk (手术 ticked, its record attached): the claim keeps the
/// treatment and pays the mild list's two stages; the member page says the member's 医保类型. Runs when
/// <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; screenshots in the test output's screenshots folder.
/// </summary>
public sealed class TreatmentBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task AClerk_TakesAStayWithSurgery_AndTheClaimShowsTheTreatmentAndPaysBothStages()
    {
        await using var db = Db();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId).SingleAsync(Ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var member = await db.Enrollments
            .Where(e => e.PlanCode == "CRITICAL" && e.Status == EnrollmentStatus.Active && e.Start <= today.AddDays(-100) && e.End >= today
                && !db.Claims.Any(c => c.MemberId == e.MemberId))
            .Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => new { m.Id, m.IdNumber, m.UnitId, e.Units })
            .Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district))
            .OrderBy(m => m.Id).FirstAsync(Ct);
        var discharge = today.AddDays(-3);
        var page = await chromium.SignInAsync(demo.Server.Url, "clerk");

        await page.GotoAsync($"{demo.Server.Url}/claims/new?id={member.IdNumber}&kind=hospitalization&date={Day(discharge)}");
        await page.GetByLabel("入院日期").FillAsync(Day(discharge.AddDays(-6)));
        await page.GetByLabel("诊断（ICD-10，多个以 ; 分隔）").FillAsync("D05.1");
        await page.GetByLabel("医疗总费用（元）").FillAsync("12000");
        await page.GetByLabel("统筹支付（元）").FillAsync("8000");
        await page.GetByLabel("手术", new() { Exact = true }).CheckAsync();
        var files = page.Locator("input[type=file]");
        for (var i = 0; i < await files.CountAsync(); i++)
            await files.Nth(i).SetInputFilesAsync(new FilePayload { Name = $"材料{i}.jpg", MimeType = "image/jpeg", Buffer = TestFiles.Jpeg });
        await Chromium.ShotAsync(page, "intake-treatment");
        await page.GetByRole(AriaRole.Button, new() { Name = "受理" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1 .state")).ToHaveTextAsync("待复核");
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync("治疗手术");
        await Chromium.ShotAsync(page, "claim-treatment");
        var claim = await db.Claims.Include(c => c.Lines).Where(c => c.MemberId == member.Id).SingleAsync(Ct);
        Assert.Equal(MutualAid.Benefits.Procedures.Surgery, claim.Details!.Procedures);
        Assert.Equal(
            [("MILD_STAGE1", MutualAid.Common.Money.FromYuan(3000 * member.Units)), ("MILD_STAGE2", MutualAid.Common.Money.FromYuan(4000 * member.Units))],
            claim.Lines.Where(l => l.BenefitCode is "MILD_STAGE1" or "MILD_STAGE2").Select(l => (l.BenefitCode!, l.Amount)));

        await page.GotoAsync($"{demo.Server.Url}/members/{member.Id}");
        await Assertions.Expect(page.Locator("dl.facts").First).ToContainTextAsync("医保类型");
        await Chromium.ShotAsync(page, "member-insurance-type");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
