using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Access;

namespace MutualAid.Tests.Web;

/// <summary>
/// 方案测算 in the browser: finance uploads a draft, reads the tables and the bars, exports the workbook; a bad
/// draft is answered naming its field; a district's finance officer is refused. Screenshots in the screenshots folder.
/// </summary>
public sealed class WhatIfBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FilePayload Draft(JsonNode rate) =>
        new()
        {
            Name = "草案.json",
            MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes(Scheme(rate)),
        };

    /// <summary>宁波's scheme with INPATIENT's first bracket at <paramref name="rate"/>.</summary>
    private static string Scheme(JsonNode rate)
    {
        var scheme = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.Schemes, "ningbo.json")))!;
        var inpatient = scheme["plans"]!.AsArray().Single(p => (string?)p!["code"] == "INPATIENT")!;
        inpatient["versions"]!.AsArray()[^1]!["benefits"]![0]!["brackets"]![0]!["rate"] = rate;
        return scheme.ToJsonString();
    }

    [Fact]
    public async Task Finance_TriesADraft_SeesTheTablesAndBars_AndExportsIt_ADistrictUserIsRefused()
    {
        await using var db = demo.Db();
        var year = await db.Claims.GroupBy(c => c.EventDate.Year).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(Ct);
        await UserAdmin.For(db).AddAsync(new UserInput("districtfinance", "海曙区财务", Roles.Finance, "330203", null, null), Chromium.Password, Ct);

        var page = await chromium.SignInAsync(demo.Server.Url, "finance", new() { Width = 1280, Height = 1400 });
        await page.GetByRole(AriaRole.Link, new() { Name = "报表", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "方案测算" }).ClickAsync();
        await page.GetByLabel("方案草案（JSON）").SetInputFilesAsync(Draft(0.9));
        await page.GetByLabel("测算年度").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "测算" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{year} 年：以草案");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "现行给付与测算给付" })).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("table").First).ToContainTextAsync("在职职工住院医疗互助保障");
        await Assertions.Expect(page.Locator("table").Nth(1)).ToContainTextAsync("在职职工住院医疗互助保障");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "会费收入与收支差额" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table").Nth(2)).ToContainTextAsync("海曙区");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "增加最多的会员" })).ToBeVisibleAsync();
        await Chromium.ShotAsync(page, "whatif-finance");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "导出 Excel" }).ClickAsync());
        Assert.Contains("方案测算", download.SuggestedFilename, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), Ct);
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        await using (var audited = demo.Db())
            Assert.Equal("finance", (await audited.AuditEntries.SingleAsync(a => a.Action == "导出" && a.Subject == $"方案测算 {year} 年", Ct)).User);

        await page.GetByLabel("方案草案（JSON）").SetInputFilesAsync(Draft("八成"));
        await page.GetByRole(AriaRole.Button, new() { Name = "测算" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("brackets[0].rate");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await Chromium.ShotAsync(page, "whatif-bad-draft", fullPage: false);

        var district = await chromium.SignInAsync(demo.Server.Url, "districtfinance");
        await district.GotoAsync("/reports/whatif");
        await Assertions.Expect(district.GetByRole(AriaRole.Alert)).ToContainTextAsync("仅限全市范围");
        await Assertions.Expect(district.GetByRole(AriaRole.Button, new() { Name = "测算" })).ToHaveCountAsync(0);
        await Chromium.ShotAsync(district, "whatif-district-refused", fullPage: false);
    }
}
