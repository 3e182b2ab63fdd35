using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Relief;

namespace MutualAid.Tests.Web;

/// <summary>
/// Hardship files and second-round relief in the browser: the district's clerk opens a file and enters
/// the committee's amount, the reviewer approves the file and checks the relief, finance reads the
/// council's relief report. Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; screenshots in
/// the test output's screenshots folder.
/// </summary>
public sealed class ReliefBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task AFile_IsOpenedByTheClerk_ApprovedByTheReviewer_AndReliefIsCheckedWithinTheBudget()
    {
        await using var db = Db();
        var district = await db.Districts.OrderBy(d => d.Code).Select(d => d.Id).FirstAsync(Ct);
        var id = await db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district) && !db.HardshipFiles.Any(f => f.MemberId == m.Id))
            .OrderBy(m => m.Id).Select(m => m.IdNumber).FirstAsync(Ct);
        var year = await db.ReliefBudgets.Select(b => b.Year).SingleAsync(Ct);

        var clerk = await chromium.SignInAsync(demo.Server.Url, "clerk");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "救助", Exact = true }).ClickAsync();
        await clerk.GetByRole(AriaRole.Link, new() { Name = "困难档案" }).ClickAsync();
        await clerk.GetByLabel("会员身份证号").FillAsync(id);
        await clerk.GetByLabel("困难原因").FillAsync("本人因工致残，家庭收入低");
        await clerk.GetByLabel("证明材料").FillAsync("残疾证、社区困难证明");
        await clerk.GetByLabel("复核日期").FillAsync(DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await clerk.GetByRole(AriaRole.Button, new() { Name = "建档" }).ClickAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Status)).ToContainTextAsync("待另一人认定");
        var file = (await db.HardshipFiles.AsNoTracking().SingleAsync(f => db.Members.Any(m => m.Id == f.MemberId && m.IdNumber == id), Ct)).Number;
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = $"认定 {file}" })).ToHaveCountAsync(0);
        await Chromium.ShotAsync(clerk, "relief-files-clerk");

        var reviewer = await chromium.SignInAsync(demo.Server.Url, "reviewer");
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "救助", Exact = true }).ClickAsync();
        var waiting = await db.ReliefApplications.AsNoTracking().Where(a => a.State == ReliefState.Submitted).Select(a => new { a.Id, a.Year }).FirstAsync(Ct);
        var number = ReliefApplication.NumberOf(waiting.Year, waiting.Id);
        await reviewer.GetByRole(AriaRole.Button, new() { Name = $"核准 {number}" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"救助申请 {number} 已核准");
        await Chromium.ShotAsync(reviewer, "relief-applications-reviewer");
        await reviewer.GotoAsync($"{demo.Server.Url}/relief/files");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = $"认定 {file}" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"困难档案 {file} 已认定");

        await clerk.GetByRole(AriaRole.Link, new() { Name = "救助申请" }).ClickAsync();
        await clerk.GetByLabel("会员身份证号").FillAsync(id);
        await clerk.GetByLabel("救助金额").FillAsync("9000000");
        await clerk.GetByLabel("会议纪要编号").FillAsync($"救助委员会 {year} 年第 9 次会议");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "录入" }).ClickAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Alert)).ToContainTextAsync("超过");
        await clerk.GetByLabel("救助金额").FillAsync("1500");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "录入" }).ClickAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Status)).ToContainTextAsync("已录入，待另一人复核");
        await Chromium.ShotAsync(clerk, "relief-applications-clerk");

        var finance = await chromium.SignInAsync(demo.Server.Url, "finance");
        await finance.GetByRole(AriaRole.Link, new() { Name = "救助统计" }).ClickAsync();
        await Assertions.Expect(finance.Locator("table.list")).ToContainTextAsync("3,000.00");
        await Assertions.Expect(finance.Locator("dl.facts")).ToContainTextAsync("其中困难职工");
        await Chromium.ShotAsync(finance, "relief-report-finance");

        var paid = await db.ReliefApplications.AsNoTracking().Where(a => a.State == ReliefState.Paid)
            .Select(a => new { a.Year, a.Id, a.PaidBy, Name = db.Members.Where(m => m.Id == a.MemberId).Select(m => m.Name).Single() }).FirstAsync(Ct);
        var batch = paid.PaidBy![..paid.PaidBy!.IndexOf('-', StringComparison.Ordinal)];
        await finance.GotoAsync($"{demo.Server.Url}/payments/batch/{batch}?q={Uri.EscapeDataString(paid.Name)}");
        await Assertions.Expect(finance.Locator("table.list")).ToContainTextAsync($"二次救助 {ReliefApplication.NumberOf(paid.Year, paid.Id)}");
        await Chromium.ShotAsync(finance, "relief-batch-line");

        Assert.Equal(ReliefState.Approved, (await db.ReliefApplications.AsNoTracking().SingleAsync(a => a.Id == waiting.Id, Ct)).State);
        Assert.Equal(Money.FromYuan(1500), (await db.ReliefApplications.AsNoTracking().SingleAsync(a => db.Members.Any(m => m.Id == a.MemberId && m.IdNumber == id), Ct)).Amount);

        // A later review by a second person finds the member out of hardship and closes the file.
        await reviewer.GotoAsync($"{demo.Server.Url}/relief/files");
        await reviewer.Locator("table.list tr", new() { HasText = file }).Locator("summary").ClickAsync();
        await reviewer.GetByLabel($"{file} 撤销原因").FillAsync("已再就业，家庭收入恢复");
        await reviewer.GetByRole(AriaRole.Button, new() { Name = $"复核 {file}" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"困难档案 {file} 已撤销");
        await Assertions.Expect(reviewer.Locator("table.list tr", new() { HasText = file })).ToContainTextAsync("已撤销：已再就业，家庭收入恢复");
        await Assertions.Expect(reviewer.Locator("table.list tr", new() { HasText = file })).ToContainTextAsync("经办员王芳 / 复核员李强 / 复核员李强");
        await Chromium.ShotAsync(reviewer, "relief-files-reviewed");
        Assert.True((await new MutualAid.Ledger.LedgerCheck(db).HandleAsync(Ct)).Ok);
    }
}
