using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// 新进职工参保 in the browser: the unit officer adds a new hire to the unit's running period from
/// a chosen day and sees what it costs and when cover starts. Runs when <c>MUTUALAID_TEST_CHROMIUM</c>
/// names the browser; the screenshot is kept in the test output's screenshots folder.
/// </summary>
public sealed class NewHireBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task AUnitOfficer_AddsANewHire_ToTheRunningPeriod_AndSeesThePremiumAndCoverDate()
    {
        await using var db = Db();
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId!.Value).SingleAsync(Ct);
        var end = await db.Enrollments.Where(e => e.UnitId == unitId && e.PlanCode == "INPATIENT").MaxAsync(e => e.End, Ct);
        var periodStart = await db.Enrollments.Where(e => e.UnitId == unitId && e.PlanCode == "INPATIENT" && e.End == end).MinAsync(e => e.Start, Ct);
        var month = periodStart.AddMonths(7);
        var from = new DateOnly(month.Year, month.Month, 15);
        var yearly = (await db.PlanVersions.Where(v => v.PlanCode == "INPATIENT").ToListAsync(Ct)).Where(v => v.EffectiveFrom <= from).MaxBy(v => v.EffectiveFrom)!.Premium;
        var placement = PartPeriod.Join(new DateRange(periodStart, end), from, MutualAid.Benefits.PartPeriodPremium.Monthly)!;
        var id = TestIds.Person(903, new DateOnly(1994, 8, 8), Gender.Male);
        var page = await chromium.SignInAsync(demo.Server.Url, "unit");

        await page.GetByRole(AriaRole.Link, new() { Name = "本单位" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新进职工参保" }).ClickAsync();
        await page.GetByLabel("加入日期").FillAsync(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("在职职工住院医疗互助保障").CheckAsync();
        await page.GetByLabel("第 1 人姓名").FillAsync("新职工丙");
        await page.GetByLabel("第 1 人身份证号").FillAsync(id);
        await page.GetByLabel("第 1 人手机号").FillAsync("13900000903");
        await page.GetByRole(AriaRole.Button, new() { Name = "加入本期参保" }).ClickAsync();

        var status = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("已加入本期参保");
        await Assertions.Expect(status).ToContainTextAsync($"{from:yyyy-MM-dd} 至 {end:yyyy-MM-dd}");
        await Assertions.Expect(status).ToContainTextAsync(placement.Charge(yearly).ToDisplayString());
        await Assertions.Expect(status).ToContainTextAsync($"保障自 {from:yyyy-MM-dd} 起");
        await Assertions.Expect(page.Locator("section.notice")).ToContainTextAsync(placement.Charge(yearly).ToDisplayString());
        await Chromium.ShotAsync(page, "unit-new-hire");

        var enrollment = await db.Enrollments.SingleAsync(e => db.Members.Any(m => m.Id == e.MemberId && m.IdNumber == id), Ct);
        Assert.Equal((from, end, placement.Charge(yearly)), (enrollment.Start, enrollment.End, enrollment.Premium));
    }
}
