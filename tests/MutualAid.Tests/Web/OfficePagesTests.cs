using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Data;
using MutualAid.Payments;

namespace MutualAid.Tests.Web;

/// <summary>
/// What the CLI did alone, on the web (issue #13, 7): coverage by unit, budgets, the books (check,
/// month close, year end), the SMS outbox, overdue claims, the adequacy report, a batch's lines and
/// the claims held back. Each page opens for the roles that may use it and refuses the others; a
/// month closed twice at once closes once, and a failed SMS resent twice at once is sent once.
/// </summary>
public sealed partial class OfficePagesTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private readonly WebServer _server = demo.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    private async Task<string> BatchPathAsync()
    {
        await using var db = Db();
        var batch = await db.PaymentBatches.AsNoTracking().OrderBy(b => b.Id).FirstAsync(Ct);
        return $"/payments/batch/{batch.Code}";
    }

    [Theory]
    [InlineData("/reports/coverage", "finance", "unit", "参保覆盖率")]
    [InlineData("/reports/coverage", "clerk", "member", "参保覆盖率")]
    [InlineData("/reports/budget", "admin", "clerk", "预决算")]
    [InlineData("/reports/adequacy", "finance", "reviewer", "以支定收")]
    [InlineData("/ledger", "finance", "admin", "互助金账务")]
    [InlineData("/notices", "admin", "finance", "短信通知")]
    [InlineData("/notices", "clerk", "unit", "短信通知")]
    [InlineData("/claims/overdue", "reviewer", "unit", "超期理赔")]
    [InlineData("/payments/held", "finance", "admin", "暂缓发放的理赔")]
    [InlineData("BATCH", "finance2", "clerk", "发放批次")]
    [InlineData("/units", "clerk", "finance", "参保单位")]
    [InlineData("/units", "admin", "unit", "参保单位")]
    public async Task APage_OpensForItsRole_AndRefusesAnother(string path, string may, string mayNot, string heading)
    {
        path = path == "BATCH" ? await BatchPathAsync() : path;
        using var allowed = await PlainBrowser.SignInAsync(_server.Url, may);
        using var refused = await PlainBrowser.SignInAsync(_server.Url, mayNot);

        using var page = await allowed.GetAsync(path);
        using var denied = await refused.GetAsync(path);

        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{may} GET {path}: {(int)page.StatusCode}");
        Assert.Contains($"<h1>{heading}", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/denied", denied.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("finance", "/reports/coverage?plan=NOPE&on=2026-13-45&district=X&page=-3")]
    [InlineData("clerk", "/reports/coverage?page=99999999999&all=1")]
    [InlineData("finance", "/reports/budget?year=2026年")]
    [InlineData("finance", "/reports/budget?year=abc")]
    [InlineData("admin", "/reports/adequacy?year=0&years=-1&margin=abc")]
    [InlineData("finance", "/ledger?district=NOPE")]
    [InlineData("admin", "/notices?state=NOPE&page=abc")]
    [InlineData("clerk", "/claims/overdue?days=abc&page=0")]
    [InlineData("clerk", "/units?edit=NOPE&page=abc&size=7&q=%27%25")]
    public async Task BadInputInTheAddress_GetsThePage_NeverA500(string user, string path)
    {
        using var browser = await PlainBrowser.SignInAsync(_server.Url, user);

        using var page = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task TheBatchPage_ShowsEveryLineOfTheBatch_BeforeApproval()
    {
        var path = await BatchPathAsync();
        using var finance = await PlainBrowser.SignInAsync(_server.Url, "finance2");
        await using var db = Db();
        var batch = await db.PaymentBatches.AsNoTracking().Include(b => b.Payments).OrderBy(b => b.Id).FirstAsync(Ct);

        // A hundred lines a page: the second page holds the rest, and the first says 下一页.
        var html = WebUtility.HtmlDecode(await (await finance.GetAsync(path)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(batch.Count > 100, html.Contains("下一页", StringComparison.Ordinal));
        html += WebUtility.HtmlDecode(await (await finance.GetAsync(path + "?page=2")).Content.ReadAsStringAsync(Ct));

        foreach (var payment in batch.Payments)
            Assert.Contains($"<td>{WebUtility.HtmlEncode(payment.PayeeName)}</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(batch.Payments[0].BankAccount, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMonthClosedTwiceAtOnce_ClosesOnce()
    {
        string month;
        int closed;
        await using (var db = Db())
        {
            var latest = await db.ClosedPeriods.OrderByDescending(p => p.Year).ThenByDescending(p => p.Month).FirstAsync(Ct);
            month = new DateOnly(latest.Year, latest.Month, 1).AddMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            closed = await db.ClosedPeriods.CountAsync(Ct);
        }
        using var first = await PlainBrowser.SignInAsync(_server.Url, "finance");
        using var second = await PlainBrowser.SignInAsync(_server.Url, "finance2");
        var (one, two) = (await TokenAsync(first, "/ledger"), await TokenAsync(second, "/ledger"));
        var posts = await Task.WhenAll(PostAsync(first, "/ledger", one, "close", ("month", month)), PostAsync(second, "/ledger", two, "close", ("month", month)));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.OK, p.Status));
        Assert.All(posts, p => Assert.Contains($"{month} 已结账", p.Html, StringComparison.Ordinal));
        await using var check = Db();
        Assert.Equal(closed + 1, await check.ClosedPeriods.CountAsync(Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "结账" && a.Subject == $"账期 {month}", Ct));
    }

    [Fact]
    public async Task AFailedSmsResentTwiceAtOnce_IsSentOnce()
    {
        long id;
        await using (var db = Db())
        {
            id = await db.Notices.OrderBy(n => n.Id).Select(n => n.Id).FirstAsync(Ct);
            var now = DateTime.UtcNow;
            await db.Notices.Where(n => n.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.SentAt, (DateTime?)null).SetProperty(n => n.GaveUpAt, now).SetProperty(n => n.Attempts, 8)
                .SetProperty(n => n.LastError, "网关超时").SetProperty(n => n.LeaseOwner, (Guid?)null).SetProperty(n => n.LeaseUntil, (DateTime?)null), Ct);
        }
        using var first = await PlainBrowser.SignInAsync(_server.Url, "admin");
        using var second = await PlainBrowser.SignInAsync(_server.Url, "admin");
        var listed = WebUtility.HtmlDecode(await (await first.GetAsync("/notices?state=gaveup")).Content.ReadAsStringAsync(Ct));
        Assert.Contains($"重发 #{id}", listed, StringComparison.Ordinal);

        var (one, two) = (await TokenAsync(first, "/notices"), await TokenAsync(second, "/notices"));
        var posts = await Task.WhenAll(PostAsync(first, "/notices", one, "resend", ("id", $"{id}")), PostAsync(second, "/notices", two, "resend", ("id", $"{id}")));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.OK, p.Status));
        Assert.Single(posts, p => p.Html.Contains($"短信 #{id} 已重发", StringComparison.Ordinal));
        await using var check = Db();
        var notice = await check.Notices.AsNoTracking().SingleAsync(n => n.Id == id, Ct);
        Assert.Equal(9, notice.Attempts);
        Assert.NotNull(notice.SentAt);
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "重发短信" && a.Subject == $"短信 #{id}", Ct));
    }

    [Fact]
    public async Task FinanceSetsABudget_AndTheAdministratorOnlyReadsIt()
    {
        using var finance = await PlainBrowser.SignInAsync(_server.Url, "finance");
        using var admin = await PlainBrowser.SignInAsync(_server.Url, "admin");

        var set = await PostAsync(finance, "/reports/budget", "budget", ("year", "2030"), ("plan", "INPATIENT"), ("income", "1,000,000.50"), ("expenditure", "800000"));
        var bad = await PostAsync(finance, "/reports/budget", "budget", ("year", "2030"), ("plan", "INPATIENT"), ("income", "一百万"), ("expenditure", "-1"));
        var adminPage = WebUtility.HtmlDecode(await (await admin.GetAsync("/reports/budget?year=2030")).Content.ReadAsStringAsync(Ct));

        Assert.Contains("已设定 2030 年", set.Html, StringComparison.Ordinal);
        Assert.Contains("预算收入: “一百万”不是金额", bad.Html, StringComparison.Ordinal);
        Assert.Contains("1,000,000.50", adminPage, StringComparison.Ordinal);
        Assert.DoesNotContain("设定 2030 年预算", adminPage, StringComparison.Ordinal);
        await using var db = Db();
        var budget = await db.PlanBudgets.SingleAsync(b => b.Year == 2030 && b.PlanCode == "INPATIENT", Ct);
        Assert.Equal(100_000_050L, budget.Income.Fen);
    }

    /// <summary>A unit code of the district with its check character: 91 + the district + nine digits.</summary>
    private static string UnitCodeOf(string district, int n)
    {
        var first17 = $"91{district}{n:D9}";
        return first17 + MutualAid.Common.UnitCode.CheckCharacter(first17);
    }

    [Fact]
    public async Task AClerk_RegistersAndEditsAUnitOfTheDistrict_OnTheWeb_AndNotOneOfAnother()
    {
        await using var db = Db();
        var clerk = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "clerk", Ct);
        var own = await db.Districts.AsNoTracking().SingleAsync(d => d.Id == clerk.DistrictId, Ct);
        var other = await db.Districts.AsNoTracking().FirstAsync(d => d.Id != clerk.DistrictId, Ct);
        var (code, elsewhere) = (UnitCodeOf(own.Code, 777001), UnitCodeOf(other.Code, 777002));
        using var browser = await PlainBrowser.SignInAsync(_server.Url, "clerk");

        var made = await PostAsync(browser, "/units", "unit", ("code", code), ("name", "网页登记公司"), ("district", own.Code), ("kind", "民企"), ("headcount", "120"), ("women", "45"));
        var edited = await PostAsync(browser, $"/units?edit={code}", "unit", ("code", code), ("name", "网页登记公司"), ("district", own.Code), ("kind", "民企"), ("headcount", "130"), ("women", "45"));
        var refused = await PostAsync(browser, "/units", "unit", ("code", elsewhere), ("name", "外区公司"), ("district", other.Code), ("kind", "国企"), ("headcount", "10"), ("women", "1"));
        var bad = await PostAsync(browser, "/units", "unit", ("code", "123"), ("name", ""), ("district", own.Code), ("kind", "外企"), ("headcount", "十"), ("women", "-1"));
        var listed = WebUtility.HtmlDecode(await (await browser.GetAsync("/units?q=网页登记")).Content.ReadAsStringAsync(Ct));

        Assert.Contains($"已保存单位 {code} 网页登记公司", made.Html, StringComparison.Ordinal);
        Assert.Contains("已保存单位", edited.Html, StringComparison.Ordinal);
        Assert.Contains($"所属区县: 只能登记本区县的单位，{other.Name}不在您的范围内", refused.Html, StringComparison.Ordinal);
        Assert.Contains("在职职工人数: “十”应为不小于 0 的整数", bad.Html, StringComparison.Ordinal);
        Assert.Contains("女职工人数: “-1”应为不小于 0 的整数", bad.Html, StringComparison.Ordinal);
        Assert.Contains("网页登记公司", listed, StringComparison.Ordinal);
        Assert.Contains("130", listed, StringComparison.Ordinal);
        await using var check = Db();
        Assert.Equal(130, (await check.Units.AsNoTracking().SingleAsync(u => u.Code == code, Ct)).Headcount);
        Assert.False(await check.Units.AnyAsync(u => u.Code == elsewhere, Ct));
        var audit = await check.AuditEntries.AsNoTracking().Where(a => a.Subject == $"单位 {code}").OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(["登记单位", "更新单位"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("clerk", true), (a.User, a.From?.StartsWith("网页", StringComparison.Ordinal) == true)));
    }

    [Fact]
    public async Task EachNewPage_IsScreenshotted_InChinese()
    {
        var browser = chromium.Browser;
        var batch = await BatchPathAsync();
        await using var db = Db();
        var unit = (await db.Units.AsNoTracking().OrderBy(u => u.Code).FirstAsync(Ct)).Code;
        (string User, string Path, string Name)[] pages =
        [
            ("finance", "/reports/coverage", "office-coverage"), ("clerk", "/reports/coverage?all=1", "office-coverage-clerk"),
            ("finance", "/reports/budget", "office-budget"), ("finance", "/reports/adequacy", "office-adequacy"),
            ("finance", "/ledger", "office-ledger"), ("admin", "/notices?state=all", "office-notices"),
            ("reviewer", "/claims/overdue?days=0", "office-overdue"), ("finance", "/payments/held", "office-held"),
            ("finance2", batch, "office-batch"), ("clerk", "/units", "office-units"), ("admin", $"/units?edit={unit}", "office-units-edit"),
        ];
        foreach (var group in pages.GroupBy(p => p.User))
        {
            var page = await chromium.SignInAsync(_server.Url, group.Key, new() { Width = 1280, Height = 1400 });
            foreach (var (_, path, name) in group)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response?.Status == 200, $"{group.Key} {path}: {response?.Status}");
                await Chromium.ShotAsync(page, name, fullPage: false);
            }
            await page.Context.CloseAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(PlainBrowser browser, string path, string form, params (string Name, string Value)[] fields) =>
        await PostAsync(browser, path, await TokenAsync(browser, path), form, fields);

    /// <summary>The user's antiforgery token from the page, so that two posts can then leave at the same moment.</summary>
    private static async Task<string> TokenAsync(PlainBrowser browser, string path) =>
        WebUtility.HtmlDecode(Token().Match(await (await browser.GetAsync(path)).Content.ReadAsStringAsync(Ct)).Groups[1].Value);

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(PlainBrowser browser, string path, string token, string form, params (string Name, string Value)[] fields)
    {
        using var response = await browser.PostAsync(path, new FormUrlEncodedContent(
            [new("_handler", form), new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
