using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Data;
using MutualAid.Schemes;

namespace MutualAid.Tests.Web;

/// <summary>
/// 全体会员保障 on the demo city with the Changchun scheme loaded: an in-service member who never enrolled
/// has the subsidies, and the member page and the claim's calculation say why ("全体工会会员保障，无需参保");
/// a clerk records a member leaving their unit, and the page then says why they are no longer covered.
/// </summary>
public sealed class CoverBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task TheApi_GivesAMemberTheirCoverWithoutEnrolment()
    {
        await LoadChangchunAsync();
        using var http = new HttpClient { BaseAddress = new Uri(demo.Server.Url) };
        var response = await http.PostAsJsonAsync("/api/v1/token", new { userName = "member", password = Chromium.Password }, Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());

        var cover = await http.GetFromJsonAsync<JsonElement>("/api/v1/me/cover", Ct);

        Assert.Equal(["HOSPITAL", "ACCIDENT", "FIRE"], cover.EnumerateArray().Select(c => c.GetProperty("planCode").GetString()));
        Assert.Equal("非工伤意外伤害补贴", cover[1].GetProperty("planName").GetString());
    }

    [Fact]
    public async Task TheMemberPageAndTheClaim_SayWhyAMemberIsCoveredWithoutEnrolment_AndLeavingTheUnitEndsIt()
    {
        var page = await chromium.SignInAsync(demo.Server.Url, "clerk");
        await LoadChangchunAsync();
        await using var db = Db();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId).SingleAsync(Ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var members = await db.Members
            .Where(m => m.Type == MemberType.InService && m.BirthDate <= today.AddYears(-20) && m.BirthDate >= today.AddYears(-55)
                && db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district) && !db.Claims.Any(c => c.MemberId == m.Id))
            .OrderBy(m => m.Id).Take(2).ToListAsync(Ct);
        var (member, leaver) = (members[0], members[1]);
        var claim = await new ManualClaims(db, TimeProvider.System).SubmitAsync(
            new ManualClaimRequest("clerk", member.IdNumber, EventKinds.Accident, today.AddDays(-3), new ClaimEvent { Grade = "5" }, ["ACCIDENT"],
                TestFiles.Documents("idCard", "accidentProof", "disabilityAssessment")),
            TestActors.As("clerk"), Ct);
        Assert.Equal(MutualAid.Common.Money.FromYuan(3000), claim.Total);

        await page.GotoAsync($"{demo.Server.Url}/members/{member.Id}");
        var cover = page.Locator("table", new() { HasText = "非工伤意外伤害补贴" });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "全体会员保障" })).ToBeVisibleAsync();
        await Assertions.Expect(cover).ToContainTextAsync("保障中：全体工会会员保障，无需参保");
        await Chromium.ShotAsync(page, "cover-member");

        await page.GotoAsync($"{demo.Server.Url}/claims/{claim.Number}");
        await Assertions.Expect(page.Locator("ol.trace")).ToContainTextAsync("非工伤意外伤害补贴");
        await Assertions.Expect(page.Locator("ol.trace")).ToContainTextAsync("全体工会会员保障，无需参保");
        await Chromium.ShotAsync(page, "cover-claim");

        await page.GotoAsync($"{demo.Server.Url}/members/{leaver.Id}");
        await Chromium.OpenAsync(page, "离开单位");
        await page.GetByLabel("离开原因").FillAsync("离职");
        await page.GetByRole(AriaRole.Button, new() { Name = "办理离开" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已办理离开单位");
        await Assertions.Expect(page.Locator("table", new() { HasText = "在职职工住院医疗补贴" })).ToContainTextAsync("不在会员单位");
        await Chromium.ShotAsync(page, "cover-left-unit");
        await using var check = Db();
        Assert.Null((await check.Members.SingleAsync(m => m.Id == leaver.Id, Ct)).UnitId);
    }

    /// <summary>The Changchun scheme beside the demo's Ningbo one (loading it again changes nothing).</summary>
    private async Task LoadChangchunAsync()
    {
        await using var db = Db();
        await new LoadScheme(db, TimeProvider.System).HandleAsync(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "changchun.json"), Ct), Ct);
    }
}
