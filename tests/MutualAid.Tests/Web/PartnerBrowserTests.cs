using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Partners;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// Partner-hospital discounts in the browser: the administrator signs up a partner, a city clerk imports
/// its statement (a bad one refused whole with its rows named, then a good one), the reviewer checks it,
/// finance reads the report and finds the demo hospital's statement paid in its batch. Runs when
/// <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; screenshots in the test output's screenshots folder.
/// </summary>
public sealed class PartnerBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task APartner_IsSignedUp_ItsStatementTakenWholeOrNot_CheckedByAnother_AndReportedAndPaid()
    {
        await using var db = Db();
        await UserAdmin.For(db).AddAsync(new UserInput("cityclerk", "市级经办员", Roles.Clerk, null, null, null), Chromium.Password, Ct);
        var code = TestIds.Unit(77);
        var today = DateOnly.FromDateTime(DateTime.UtcNow + BeijingTime.Offset);
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var visit = month.AddDays(4);
        var members = await db.Enrollments.AsNoTracking().Where(e => e.Status == MutualAid.Enrollment.EnrollmentStatus.Active && e.CoverageStart <= visit && e.End >= visit)
            .Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => new { m.Id, m.IdNumber, m.Name }).Distinct().OrderByDescending(m => m.Id).Take(2).ToListAsync(Ct);
        byte[] Statement(decimal secondDiscount) => Encoding.UTF8.GetBytes("身份证号,姓名,就诊日期,结算流水号,自付金额,优惠金额\n"
            + string.Create(CultureInfo.InvariantCulture, $"{members[0].IdNumber},{members[0].Name},{visit:yyyy-MM-dd},BT{month:yyyyMM}01,500,50\n")
            + string.Create(CultureInfo.InvariantCulture, $"{members[1].IdNumber},{members[1].Name},{visit:yyyy-MM-dd},BT{month:yyyyMM}02,200,{secondDiscount}\n"));

        var admin = await chromium.SignInAsync(demo.Server.Url, "admin");
        await admin.GotoAsync("/partners");
        await admin.GetByLabel("统一社会信用代码").FillAsync(code);
        await admin.GetByLabel("机构名称").FillAsync("宁波市鄞州第二医院");
        await admin.GetByLabel("优惠比例").FillAsync("10");
        await admin.GetByLabel("每次封顶").FillAsync("100");
        await admin.GetByLabel("每人每年封顶").FillAsync("600");
        await admin.GetByLabel("开户行").FillAsync("中国农业银行鄞州支行");
        await admin.GetByLabel("银行账号").FillAsync("39123000000000077");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("宁波市鄞州第二医院 已保存：自付 10%");
        await Assertions.Expect(admin.Locator("table.list")).ToContainTextAsync(DemoPartnersHospital);
        await Chromium.ShotAsync(admin, "partners-admin");

        var clerk = await chromium.SignInAsync(demo.Server.Url, "cityclerk");
        await clerk.GetByRole(AriaRole.Link, new() { Name = "合作机构", Exact = true }).ClickAsync();
        await clerk.GetByLabel("合作医疗机构").SelectOptionAsync(new SelectOptionValue { Label = "宁波市鄞州第二医院" });
        await clerk.GetByLabel("结算月份").FillAsync(month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        await clerk.Locator("input[name=statementFile]").SetInputFilesAsync(new FilePayload { Name = "鄞州二院优惠结算单.csv", MimeType = "text/csv", Buffer = Statement(25) });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "导入结算单" }).ClickAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Alert)).ToContainTextAsync("整张结算单未导入");
        await Assertions.Expect(clerk.Locator("ul.problems")).ToContainTextAsync("第 3 行 discount");
        await Chromium.ShotAsync(clerk, "partner-statement-refused");
        await clerk.GetByLabel("合作医疗机构").SelectOptionAsync(new SelectOptionValue { Label = "宁波市鄞州第二医院" });
        await clerk.GetByLabel("结算月份").FillAsync(month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        await clerk.Locator("input[name=statementFile]").SetInputFilesAsync(new FilePayload { Name = "鄞州二院优惠结算单.csv", MimeType = "text/csv", Buffer = Statement(20) });
        await clerk.GetByRole(AriaRole.Button, new() { Name = "导入结算单" }).ClickAsync();
        await Assertions.Expect(clerk.GetByRole(AriaRole.Status)).ToContainTextAsync("已导入：2 笔，优惠 70.00 元，待另一人复核");
        var number = (await db.PartnerStatements.AsNoTracking().SingleAsync(s => db.Partners.Any(p => p.Id == s.PartnerId && p.Code == code), Ct)).Number;
        await Assertions.Expect(clerk.GetByRole(AriaRole.Button, new() { Name = $"核准 {number}" })).ToHaveCountAsync(0);
        await Chromium.ShotAsync(clerk, "partner-statements-clerk");

        var reviewer = await chromium.SignInAsync(demo.Server.Url, "reviewer");
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "合作机构", Exact = true }).ClickAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = $"核准 {number}" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"结算单 {number} 已核准");
        await Chromium.ShotAsync(reviewer, "partner-statements-reviewer");

        var finance = await chromium.SignInAsync(demo.Server.Url, "finance");
        await finance.GetByRole(AriaRole.Link, new() { Name = "优惠统计" }).ClickAsync();
        await Assertions.Expect(finance.Locator("#partner-totals")).ToContainTextAsync(DemoPartnersHospital);
        await Assertions.Expect(finance.Locator("#partner-months")).ToContainTextAsync(number);
        await Chromium.ShotAsync(finance, "partner-report-finance");
        var download = await finance.RunAndWaitForDownloadAsync(() => finance.GetByRole(AriaRole.Link, new() { Name = "导出 Excel" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);

        var paid = await db.PartnerStatements.AsNoTracking().Where(s => s.State == StatementState.Paid).Select(s => new { s.Month, s.Id, s.PaidBy }).FirstAsync(Ct);
        await finance.GotoAsync($"/payments/batch/{paid.PaidBy![..paid.PaidBy!.IndexOf('-', StringComparison.Ordinal)]}?q={Uri.EscapeDataString(DemoPartnersHospital)}");
        await Assertions.Expect(finance.Locator("table.list")).ToContainTextAsync($"医疗优惠补助 {PartnerStatement.NumberOf(paid.Month, paid.Id)}");
        await Chromium.ShotAsync(finance, "partner-batch-line");

        var id = PartnerStatement.IdOf(number);
        Assert.Equal(StatementState.Approved, (await db.PartnerStatements.AsNoTracking().SingleAsync(s => s.Id == id, Ct)).State);
        Assert.True((await new MutualAid.Ledger.LedgerCheck(db).HandleAsync(Ct)).Ok);
    }

    private const string DemoPartnersHospital = "宁波市第六医院";
}
