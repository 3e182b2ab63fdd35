using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Premiums;

namespace MutualAid.Tests.Web;

/// <summary>
/// The printed documents as each role prints them: opened from the page that shows the record, the
/// amount in Chinese capitals, an A4 page (a screenshot at 794×1123, A4 at 96 dpi, as printed, and a
/// PDF of A4) with the page's own toolbar left out. Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names
/// the browser; screenshots and PDFs are kept in the test output's screenshots folder.
/// </summary>
public sealed partial class PrintoutBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    /// <summary>Signed in on an A4 page at 96 dpi.</summary>
    private Task<IPage> SignInAsync(string user) => chromium.SignInAsync(demo.Server.Url, user, new() { Width = 794, Height = 1123 });

    /// <summary>Follows the link the record's page shows (it opens a new window there) in this page.</summary>
    private static async Task FollowAsync(IPage page, string link)
    {
        var href = await page.GetByRole(AriaRole.Link, new() { Name = link }).First.GetAttributeAsync("href");
        Assert.NotNull(href);
        var response = await page.GotoAsync(href);
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
    }

    /// <summary>The sheet as printed: the toolbar gone, an A4 screenshot and an A4 PDF of one page or more.</summary>
    private static async Task PrintAsync(IPage page, string name)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "打印" })).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("header.top")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Chromium.Screenshots, $"print-{name}.png"), FullPage = true });
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true, Path = Path.Combine(Chromium.Screenshots, $"print-{name}.pdf") });
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        Assert.True(PdfPage().Count(System.Text.Encoding.Latin1.GetString(pdf)) >= 1, "the PDF has no page");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
    }

    private static string Capitals(Money amount) => "人民币" + amount.ToChineseCapitals();

    [Fact]
    public async Task AUnit_PrintsItsPaymentNotice_WithTheFundsAccountAndTheAmountInCapitals()
    {
        await using var db = Db();
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId).SingleAsync(Ct);
        var unit = await db.Units.SingleAsync(u => u.Id == unitId, Ct);
        var start = await db.Enrollments.Where(e => e.UnitId == unit.Id).MaxAsync(e => e.Start, Ct);
        var notice = await new PremiumDesk(db).NoticeAsync(PayerRef.Unit(unit.Code), start, Ct);
        var other = await db.Units.Where(u => u.Id != unit.Id).Select(u => u.Code).FirstAsync(Ct);
        var page = await SignInAsync("unit");

        await page.GetByRole(AriaRole.Link, new() { Name = "本单位" }).ClickAsync();
        // The unit's page shows the same sheet it prints.
        await Assertions.Expect(page.Locator("section.notice")).ToContainTextAsync(Capitals(Money.FromYuan(notice.Total)));
        await FollowAsync(page, "A4 打印版");

        var sheet = page.Locator("article.sheet");
        await Assertions.Expect(sheet).ToContainTextAsync("缴费通知单");
        await Assertions.Expect(sheet).ToContainTextAsync($"缴费单位{unit.Name}");
        await Assertions.Expect(sheet).ToContainTextAsync($"{start:yyyy-MM-dd} 至");
        await Assertions.Expect(sheet.Locator(".amount-due")).ToContainTextAsync(Capitals(Money.FromYuan(notice.Total)));
        await Assertions.Expect(sheet.Locator(".amount-due")).ToContainTextAsync("¥" + Money.FromYuan(notice.Total).ToDisplayString());
        await Assertions.Expect(sheet.Locator("table.payee")).ToContainTextAsync("收款单位宁波市职工互助保障会");
        await Assertions.Expect(sheet.Locator("table.payee")).ToContainTextAsync("开户银行中国工商银行宁波分行营业部");
        await Assertions.Expect(sheet.Locator("table.payee")).ToContainTextAsync("账号3901000000000002026");
        await Assertions.Expect(sheet).ToContainTextAsync("签发单位：宁波市职工互助保障办公室");
        await PrintAsync(page, "notice");

        // Another unit's notice is not there for this unit.
        var refused = await page.GotoAsync($"/print/notice/{other}/{start:yyyy-MM-dd}");
        Assert.Equal((int)HttpStatusCode.NotFound, refused!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("没有这份缴费通知单");
        await Assertions.Expect(page.Locator("article.sheet")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Finance_PrintsAPremiumReceipt_FromThePremiumsPage()
    {
        var page = await SignInAsync("finance");
        await page.GetByRole(AriaRole.Link, new() { Name = "会费" }).ClickAsync();
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "打印收据" }).First.GetAttributeAsync("href");
        await using var db = Db();
        var number = href!.Split('/')[^1];
        var payment = await db.PremiumPayments.SingleAsync(p => p.Id == PremiumPayment.IdOf(number), Ct);

        await FollowAsync(page, "打印收据");

        var sheet = page.Locator("article.sheet");
        await Assertions.Expect(sheet.Locator("h1")).ToHaveTextAsync("缴费收据");
        await Assertions.Expect(sheet).ToContainTextAsync($"收据号：{number}");
        await Assertions.Expect(sheet).ToContainTextAsync(Capitals(payment.Amount));
        await Assertions.Expect(sheet).ToContainTextAsync("¥" + payment.Amount.ToDisplayString());
        await Assertions.Expect(sheet).ToContainTextAsync(payment.Reference.StartsWith("网关", StringComparison.Ordinal) ? "在线支付" : $"银行转账（流水号 {payment.Reference}）");
        await Assertions.Expect(sheet).ToContainTextAsync("收款人：");
        await Assertions.Expect(sheet).ToContainTextAsync("保障计划");
        await PrintAsync(page, "receipt");

        // A unit officer reads only its own unit's receipts.
        var officer = await SignInAsync("unit");
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId).SingleAsync(Ct);
        var foreign = await db.PremiumPayments.Where(p => p.UnitId != unitId).OrderBy(p => p.Id).FirstAsync(Ct);
        Assert.Equal((int)HttpStatusCode.NotFound, (await officer.GotoAsync($"/print/receipt/{foreign.ReceiptNumber}"))!.Status);
    }

    [Fact]
    public async Task AMember_PrintsThePayoutAdvice_OfTheirPaidClaim_WithItsExplanation()
    {
        await using var db = Db();
        var memberId = await db.Users.Where(u => u.UserName == "member").Select(u => u.MemberId!.Value).SingleAsync(Ct);
        var member = await db.Members.SingleAsync(m => m.Id == memberId, Ct);
        var claim = await db.Claims.Where(c => c.MemberId == memberId && c.State == ClaimState.Paid).OrderBy(c => c.Id).FirstAsync(Ct);
        var someoneElses = await db.Claims.Where(c => c.MemberId != memberId && c.State == ClaimState.Paid).OrderBy(c => c.Id).FirstAsync(Ct);
        var page = await SignInAsync("member");

        await page.GetByRole(AriaRole.Link, new() { Name = claim.Number }).First.ClickAsync();
        await FollowAsync(page, "打印给付通知书");

        var sheet = page.Locator("article.sheet");
        await Assertions.Expect(sheet.Locator("h1")).ToHaveTextAsync("给付通知书");
        await Assertions.Expect(sheet).ToContainTextAsync($"理赔编号：{claim.Number}");
        await Assertions.Expect(sheet).ToContainTextAsync($"{member.Name}（身份证号 {IdNumber.Parse(member.IdNumber).Masked}）");
        await Assertions.Expect(sheet).ToContainTextAsync(Capitals(claim.Total));
        await Assertions.Expect(sheet.Locator("ol.trace")).ToContainTextAsync("本次给付");
        await Assertions.Expect(sheet).ToContainTextAsync("尾号");
        await Assertions.Expect(sheet).ToContainTextAsync($"支付日期{BeijingTime.Day(claim.PaidAt!.Value):yyyy年M月d日}");
        Assert.DoesNotContain(member.IdNumber, await sheet.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(member.BankAccount!, await sheet.InnerTextAsync(), StringComparison.Ordinal);
        await PrintAsync(page, "advice");

        Assert.Equal((int)HttpStatusCode.NotFound, (await page.GotoAsync($"/print/advice/{someoneElses.Number}"))!.Status);
    }

    [Fact]
    public async Task Finance_PrintsABatchListForTheBank_WithBothSignatures_AndThePrintingIsAudited()
    {
        await using var db = Db();
        var batch = await db.PaymentBatches.AsNoTracking().Include(b => b.Payments).OrderBy(b => b.Id).FirstAsync(Ct);
        var page = await SignInAsync("finance");
        await page.GetByRole(AriaRole.Link, new() { Name = "发放" }).ClickAsync();
        var before = await db.AuditEntries.CountAsync(a => a.Action == "打印付款清单" && a.Subject == batch.Code, Ct);

        var href = $"/print/batch/{batch.Code}";
        await Assertions.Expect(page.Locator($"a[href='{href}']")).ToHaveTextAsync("打印付款清单");
        Assert.Equal((int)HttpStatusCode.OK, (await page.GotoAsync(href))!.Status);

        var sheet = page.Locator("article.sheet");
        await Assertions.Expect(sheet).ToContainTextAsync($"批次号：{batch.Code}");
        await Assertions.Expect(sheet).ToContainTextAsync(Capitals(batch.Total));
        await Assertions.Expect(sheet).ToContainTextAsync($"共 {batch.Count} 笔");
        var first = batch.Payments.OrderBy(p => p.LineNo).First();
        await Assertions.Expect(sheet.Locator("tbody tr").First).ToContainTextAsync(first.PayeeName);
        await Assertions.Expect(sheet.Locator("tbody tr").First).ToContainTextAsync(first.BankAccount);
        await Assertions.Expect(sheet.Locator(".signatures")).ToContainTextAsync("制单：财务张敏");
        await Assertions.Expect(sheet.Locator(".signatures")).ToContainTextAsync("复核/审批：财务主管赵磊");
        await Assertions.Expect(sheet.Locator(".signatures .blank")).ToHaveCountAsync(4);
        Assert.Equal(before + 1, await db.AuditEntries.CountAsync(a => a.Action == "打印付款清单" && a.Subject == batch.Code, Ct));
        Assert.Equal("finance", (await db.AuditEntries.Where(a => a.Action == "打印付款清单").OrderBy(a => a.Id).LastAsync(Ct)).User);
        await PrintAsync(page, "batch");

        // Nobody outside finance reaches it: the site's denied page, and no audit line.
        var officer = await SignInAsync("unit");
        await officer.GotoAsync(href);
        await Assertions.Expect(officer.Locator("article.sheet")).ToHaveCountAsync(0);
        Assert.DoesNotContain(first.BankAccount, await officer.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await db.AuditEntries.CountAsync(a => a.Action == "打印付款清单" && a.Subject == batch.Code, Ct));
    }

    // A page object of the PDF (not the /Pages tree).
    [GeneratedRegex(@"/Type\s*/Page(?!s)")]
    private static partial Regex PdfPage();
}
