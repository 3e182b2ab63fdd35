using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Payments;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Web;

/// <summary>
/// Files as an office has them, through the browser: the unit officer uploads a roster saved by
/// Excel on a Chinese PC (GBK CSV) and one in the old .xls format, and a file that is no table;
/// finance takes the Excel copy of a bank file and a return file the bank refused line by line.
/// Runs when <c>MUTUALAID_TEST_CHROMIUM</c> names the browser; screenshots in the test output's screenshots folder.
/// </summary>
public sealed class ExcelFilesBrowserTests(DemoServer demo, Chromium chromium) : IClassFixture<DemoServer>, IClassFixture<Chromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    private Task<IPage> SignInAsync(string user) => chromium.SignInAsync(demo.Server.Url, user);

    private static Task ShotAsync(IPage page, string name) => Chromium.ShotAsync(page, name);

    private static async Task UploadAsync(IPage page, string name, string mimeType, byte[] content, DateOnly start)
    {
        await page.Locator("input[name=roster]").SetInputFilesAsync(new FilePayload { Name = name, MimeType = mimeType, Buffer = content });
        await page.GetByLabel("开始日期").FillAsync(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并参保" }).ClickAsync();
    }

    [Fact]
    public async Task AUnitOfficer_UploadsAGbkCsvAndAnXlsRoster_AndBothAreImported()
    {
        long unitId;
        DateOnly start;
        await using (var db = Db())
        {
            unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId!.Value).SingleAsync(Ct);
            start = await db.Enrollments.Where(e => e.UnitId == unitId).MaxAsync(e => e.Start, Ct);
        }
        string[] ids = [.. Enumerable.Range(0, 4).Select(i => TestIds.Person(951 + i, new DateOnly(1988 + i, 5, 12), i % 2 == 0 ? Gender.Female : Gender.Male))];
        string[] header = ["序号", "姓名", "身份证号", "手机号", "开户银行", "银行账号"];
        var page = await SignInAsync("unit");
        await page.GetByRole(AriaRole.Link, new() { Name = "本单位" }).ClickAsync();

        // The template: the ID-number and account columns are text for the whole column.
        var template = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载花名册模板（Excel）" }).ClickAsync());
        Assert.Equal("花名册模板.xlsx", template.SuggestedFilename);
        Assert.Equal(ImportRoster.Template, TableFile.Open(await template.PathAsync()).Headers);

        // As Excel on a Chinese PC saves "CSV (逗号分隔)": GBK, no BOM.
        var gbk = OfficeFiles.Gbk(OfficeFiles.Csv(header, [[1, "欧阳娜娜", ids[0], "13900000951", "中国工商银行", "6222020000000951"], [2, "司马光明", ids[1], "13900000952", null, null]]));
        await UploadAsync(page, "三月新进职工.csv", "text/csv", gbk, start);
        var status = page.GetByRole(AriaRole.Status).First;
        await Assertions.Expect(status).ToContainTextAsync("三月新进职工.csv：已导入");
        await Assertions.Expect(status).ToContainTextAsync("参保 2 人次");
        await ShotAsync(page, "unit-roster-gbk");

        // As Excel 97-2003 saves a workbook (.xls).
        var xls = OfficeFiles.Xls(header, [[1, "诸葛丽丽", ids[2], "13900000953", "中国银行", "6217850000000953"], [2, "上官云", ids[3], "13900000954", null, null]]);
        await UploadAsync(page, "四月新进职工.xls", "application/vnd.ms-excel", xls, start);
        status = page.GetByRole(AriaRole.Status).First;
        await Assertions.Expect(status).ToContainTextAsync("四月新进职工.xls：已导入");
        await Assertions.Expect(status).ToContainTextAsync("参保 2 人次");
        await ShotAsync(page, "unit-roster-xls");

        // A file that is no table: the message names the file as the officer knows it, and says what to do.
        await UploadAsync(page, "花名册.xls", "application/vnd.ms-excel", Encoding.UTF8.GetBytes("<html><body>不是表格</body></html>"), start);
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("花名册.xls: 不是有效的 Excel 97-2003 文件（.xls）：请用 Excel 打开后另存为 .xlsx 或 CSV 再上传");
        var said = await alert.InnerTextAsync();
        Assert.DoesNotContain("mutualaid", said, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Path.GetTempPath(), said, StringComparison.Ordinal);
        await ShotAsync(page, "unit-roster-bad-file");

        await using var check = Db();
        var members = await check.Members.Where(m => ids.Contains(m.IdNumber)).OrderBy(m => m.IdNumber).ToListAsync(Ct);
        Assert.Equal(["欧阳娜娜", "司马光明", "诸葛丽丽", "上官云"], ids.Select(id => members.Single(m => m.IdNumber == id).Name));
        Assert.Equal("6222020000000951", members.Single(m => m.IdNumber == ids[0]).BankAccount);
        Assert.Equal(4, await check.Enrollments.CountAsync(e => check.Members.Any(m => m.Id == e.MemberId && ids.Contains(m.IdNumber)) && e.UnitId == unitId && e.Start == start, Ct));
    }

    [Fact]
    public async Task Finance_TakesTheBankFilesExcelCopy_AndAReturnRefusedWholeIsShownAsAFailure()
    {
        string code;
        await using (var db = Db())
            code = await db.PaymentBatches.Where(b => b.State == BatchState.Exported || b.State == BatchState.Closed).OrderBy(b => b.Id).Select(b => b.Code).FirstAsync(Ct);
        var page = await SignInAsync("finance");
        await page.GotoAsync("/payments");

        var row = page.Locator("tr", new() { HasText = code }).First;
        var copy = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "Excel 副本" }).ClickAsync());
        Assert.StartsWith($"{code}_", copy.SuggestedFilename, StringComparison.Ordinal);
        Assert.EndsWith(".xlsx", copy.SuggestedFilename, StringComparison.Ordinal);
        var lines = TableFile.Open(await copy.PathAsync()).Rows().ToList();
        Assert.All(lines, l => Assert.Equal(code, l.Text(0)));
        // A member's ID number, or a partner institution's unified social credit code (统一社会信用代码).
        Assert.All(lines, l => Assert.Matches("^\\d{18}$|^\\d{17}X$|^[0-9A-HJ-NPQRTUWXY]{18}$", l.Text(3)!));

        // Every line names a payment the batch does not have: nothing is taken, and the page says so in red.
        var answers = Encoding.UTF8.GetBytes($"batch_id,line_no,status,reason\n{code},901,成功,\n{code},902,失败,账户已销户\n");
        await page.Locator("input[name=returnFile]").SetInputFilesAsync(new FilePayload { Name = "工行回盘0301.csv", MimeType = "text/csv", Buffer = answers });
        await page.GetByRole(AriaRole.Button, new() { Name = "导入回盘" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("工行回盘0301.csv：回盘未导入，2 行全部被拒收");
        await Assertions.Expect(alert).ToContainTextAsync($"第 2 行 line_no“901”：批次 {code} 没有这一笔");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        // Red (the brand colour of errors), not the green of a return that went through.
        Assert.Equal("rgb(198, 40, 40)", await alert.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await ShotAsync(page, "bank-return-refused");
    }
}
