using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid.Tests.Web;

/// <summary>
/// The office's other lists in the browser (issue #13, 2): premiums received, payments, batches, a
/// batch's lines, the claims held back and the SMS outbox are filtered, sorted and paged from the
/// address, and each exports what its filter shows, every row, with a 合计 that agrees with the database.
/// </summary>
public sealed partial class MoreListsTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static readonly UserScope City = new(1, "finance", "财务", new HashSet<string>([Roles.Finance]), null, null, null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<IPage> SignInAsync(string user) => chromium.SignInAsync(demo.Server.Url, user, new() { Width = 1400, Height = 1000 });

    /// <summary>The pager's 共 N 条.</summary>
    private static async Task<int> TotalAsync(IPage page) =>
        int.Parse(Count().Match((await page.Locator("nav.pager").TextContentAsync())!).Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);

    /// <summary>
    /// Clicks the export under the list and reads the sheet with the project's own reader: headers, records, and the 合计 row
    /// (a sheet with a money column has one; others none).
    /// </summary>
    private static async Task<(IReadOnlyList<string> Headers, List<TableRow> Rows, TableRow? Total)> ExportAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("nav.pager a.export").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"list-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(path);
        var file = TableFile.Open(path);
        var rows = file.Rows().ToList();
        File.Delete(path);
        return rows.Count > 0 && rows[^1].Text(0)?.StartsWith("合计（", StringComparison.Ordinal) == true
            ? (file.Headers, rows[..^1], rows[^1]) : (file.Headers, rows, null);
    }

    private static decimal Yuan(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    private static async Task<List<decimal>> MoneyColumnAsync(IPage page) =>
        [.. (await page.Locator("table.list > tbody > tr > td.money").AllTextContentsAsync()).Select(t => decimal.Parse(t, NumberStyles.Number, CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Premiums_AreFilteredSortedPagedAndExported()
    {
        await using var db = demo.Db();
        var filter = new PremiumFilter(Payer: Payer.Unit);
        var expected = await PremiumList.Query(db, City, filter).Select(r => r.Amount).ToListAsync(Ct);
        Assert.NotEmpty(expected);
        var page = await SignInAsync("finance");

        await page.GotoAsync("/premiums");
        await page.Locator("form.filters select[name=payer]").SelectOptionAsync("Unit");
        await page.Locator("form.filters").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.Locator("table.list").GetByRole(AriaRole.Link, new() { Name = "金额（元）" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("payer=Unit.*sort=amount|sort=amount.*payer=Unit"));

        Assert.Equal(expected.Count, await TotalAsync(page));
        var amounts = await MoneyColumnAsync(page);
        Assert.Equal(amounts.Order(), amounts);
        Assert.Equal(expected.Select(m => m.Yuan).Order().Take(amounts.Count), amounts);
        if (expected.Count > PageRequest.DefaultSize)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
            Assert.True((await MoneyColumnAsync(page))[0] >= amounts[^1]);
        }
        var (headers, rows, total) = await ExportAsync(page);
        Assert.Contains("身份证号", headers);
        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal($"合计（{expected.Count} 条）", total!.Text(0));
        var amount = headers.ToList().IndexOf("金额（元）");
        Assert.Equal(expected.Sum(m => m.Yuan), Yuan(total!.Text(amount)));
        Assert.Equal(rows.Select(r => Yuan(r.Text(amount))).Order(), rows.Select(r => Yuan(r.Text(amount))));

        await page.GotoAsync("/premiums?size=20");
        await Chromium.ShotAsync(page, "list-premiums");
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.User == "finance" && a.Action == "导出" && a.Subject == "会费到账清单", Ct));
    }

    [Fact]
    public async Task PaymentsBatchesAndHeldClaims_AreFilteredSortedPagedAndExported()
    {
        await using var db = demo.Db();
        var paid = await PaymentList.Query(db, City, new(State: PaymentState.Paid)).Select(r => r.Amount).ToListAsync(Ct);
        Assert.NotEmpty(paid);
        var page = await SignInAsync("finance");

        // Every payment to a member: the paid ones, the largest first, exported whole.
        await page.GotoAsync("/payments/list");
        await page.Locator("form.filters select[name=state]").SelectOptionAsync("Paid");
        await page.Locator("form.filters").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.Locator("table.list").GetByRole(AriaRole.Link, new() { Name = "金额（元）" }).ClickAsync();
        await page.Locator("table.list").GetByRole(AriaRole.Link, new() { Name = "金额（元） ▲" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("desc=1"));
        Assert.Equal(paid.Count, await TotalAsync(page));
        var amounts = await MoneyColumnAsync(page);
        Assert.Equal(amounts.OrderDescending(), amounts);
        Assert.Equal(paid.Max().Yuan, amounts[0]);
        var (headers, rows, total) = await ExportAsync(page);
        var amount = headers.ToList().IndexOf("金额（元）");
        Assert.Equal(paid.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("支付成功", r.Text(headers.ToList().IndexOf("结果"))));
        Assert.All(rows, r => Assert.Contains("********", r.Text(headers.ToList().IndexOf("身份证号"))));
        Assert.Equal(paid.Sum(m => m.Yuan), Yuan(total!.Text(amount)));
        await page.GotoAsync("/payments/list?size=20");
        await Chromium.ShotAsync(page, "list-payments");

        // The batches, by state.
        var closed = await PaymentList.BatchQuery(db, new(State: BatchState.Closed)).CountAsync(Ct);
        await page.GotoAsync("/payments");
        await page.Locator("form.filters select[name=state]").SelectOptionAsync("Closed");
        await page.Locator("form.filters").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        Assert.Equal(closed, await TotalAsync(page));
        Assert.Equal(closed, await page.Locator("table.list > tbody > tr", new() { HasText = "已回盘" }).CountAsync());
        await Chromium.ShotAsync(page, "list-batches");

        // A batch's lines: twenty a page, the second page, and the export of every line with the batch's total.
        var batch = await db.PaymentBatches.AsNoTracking().OrderByDescending(b => b.Count).FirstAsync(Ct);
        await page.GotoAsync($"/payments/batch/{batch.Code}?size=20");
        Assert.Equal(batch.Count, await TotalAsync(page));
        var lineNumbers = await page.Locator("table.list > tbody > tr > td:first-child").AllTextContentsAsync();
        Assert.Equal(Enumerable.Range(1, Math.Min(20, batch.Count)).Select(i => $"{i}"), lineNumbers);
        if (batch.Count > 20)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
            Assert.Equal("21", await page.Locator("table.list > tbody > tr > td:first-child").First.TextContentAsync());
        }
        (headers, rows, total) = await ExportAsync(page);
        Assert.Equal(batch.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal(batch.Code, r.Text(0)));
        Assert.Equal(batch.Total.Yuan, Yuan(total!.Text(headers.ToList().IndexOf("金额（元）"))));
        await page.GotoAsync($"/payments/batch/{batch.Code}?size=20");
        await Chromium.ShotAsync(page, "list-batch-lines");

        // The claims held back: as many in the export as the page counts.
        await page.GotoAsync("/payments/held?size=20");
        var held = await TotalAsync(page);
        await Chromium.ShotAsync(page, "list-held");
        (headers, rows, total) = await ExportAsync(page);
        Assert.Equal(["理赔或救助编号", "原因"], headers);
        Assert.Equal(held, rows.Count);
        if (held == 0)
            Assert.Equal("合计（0 条）", total!.Text(0));
    }

    [Fact]
    public async Task TheSmsOutbox_IsFilteredSortedPagedAndExported_AndKeepsItsResend()
    {
        await using var db = demo.Db();
        var member = await db.Notices.AsNoTracking().Where(n => n.Topic == NoticeTopic.ClaimApproved).OrderBy(n => n.Id).Select(n => n.Phone).FirstAsync(Ct);
        var part = member[3..7];
        var expected = await NoticeList.Query(db, City, new(Search: part, Topic: NoticeTopic.ClaimApproved)).CountAsync(Ct);
        var page = await SignInAsync("admin");

        await page.GotoAsync("/notices");
        await page.Locator("form.filters select[name=state]").SelectOptionAsync("all");
        await page.Locator("form.filters select[name=topic]").SelectOptionAsync("ClaimApproved");
        await page.Locator("form.filters input[name=q]").FillAsync(part);
        await page.Locator("form.filters").GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await page.Locator("table.list").GetByRole(AriaRole.Link, new() { Name = "编号 ▼" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("desc=0"));

        Assert.Equal(expected, await TotalAsync(page));
        var numbers = (await page.Locator("table.list > tbody > tr > td:first-child").AllTextContentsAsync()).Select(t => long.Parse(t.TrimStart('#'), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.All(await page.Locator("table.list > tbody > tr > td:nth-child(5)").AllTextContentsAsync(), t => Assert.Equal("理赔审批", t));
        var (headers, rows, total) = await ExportAsync(page);
        Assert.Equal(expected, rows.Count);
        Assert.Null(total);
        Assert.All(rows, r => Assert.Contains("****", r.Text(headers.ToList().IndexOf("手机号"))));
        await page.GotoAsync("/notices?state=all&size=20");
        await Chromium.ShotAsync(page, "list-notices");

        // A failed one is still resent from the filtered list.
        var id = await db.Notices.OrderByDescending(n => n.Id).Select(n => n.Id).FirstAsync(Ct);
        await db.Notices.Where(n => n.Id == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, (DateTime?)null).SetProperty(n => n.LastError, "网关超时")
            .SetProperty(n => n.LeaseOwner, (Guid?)null).SetProperty(n => n.LeaseUntil, (DateTime?)null), Ct);
        await page.GotoAsync("/notices?state=failed&sort=id&desc=1");
        await page.GetByRole(AriaRole.Button, new() { Name = $"重发 #{id}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"短信 #{id} 已重发");
    }

    [GeneratedRegex(@"共 ([\d,]+) 条")]
    private static partial Regex Count();
}
