using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using MutualAid.Payments;

namespace MutualAid.Tests.Web;

/// <summary>
/// Privacy by default (PIPL): lists show ID numbers and mobile numbers masked; a claim's documents
/// open only for the clerk, the reviewer and the member, each look an audit line; every copy of
/// the bank file (whole ID numbers and accounts) handed out is an audit line.
/// </summary>
public sealed partial class PrivacyTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private readonly WebServer _server = demo.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    private Task<int> LooksAsync(string user, string action) => CountAsync(a => a.User == user && a.Action == action);

    private async Task<int> CountAsync(System.Linq.Expressions.Expression<Func<Auditing.AuditEntry, bool>> where)
    {
        await using var db = Db();
        return await db.AuditEntries.CountAsync(where, Ct);
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("reviewer")]
    [InlineData("admin")]
    public async Task TheLists_AndTheirExports_ShowNoWholeIdNumberOrMobileNumber(string user)
    {
        using var browser = await PlainBrowser.SignInAsync(_server.Url, user);

        foreach (var list in new[] { "/members", "/claims", "/claims/review" })
        {
            var page = await (await browser.GetAsync(list)).Content.ReadAsStringAsync(Ct);
            Assert.Contains("********", page);
            Assert.DoesNotMatch(WholeIdNumber(), page);
            Assert.DoesNotMatch(WholeMobileNumber(), page);
        }
        foreach (var export in new[] { "/export/members.xlsx", "/export/claims.xlsx" })
        {
            using var response = await browser.GetAsync(export);
            var path = Path.Combine(Path.GetTempPath(), $"privacy-{Guid.NewGuid():N}.xlsx");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
            var ids = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>().SkipLast(1).Select(r => (string)r["身份证号"]).ToList();
            File.Delete(path);
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.Contains("********", id));
        }
    }

    [Theory]
    [InlineData("finance", "/premiums,/payments,/payments/list,BATCH,/payments/held", "/export/premiums.xlsx,/export/payments.xlsx,/export/batch/BATCH.xlsx,/export/held.xlsx")]
    [InlineData("admin", "/notices?state=all", "/export/notices.xlsx?state=all")]
    [InlineData("clerk", "/notices?state=all", "/export/notices.xlsx?state=all")]
    public async Task TheOfficeLists_AndTheirExports_ShowNoWholeIdNumberMobileOrAccount(string user, string lists, string exports)
    {
        await using var db = Db();
        var batch = await db.PaymentBatches.AsNoTracking().OrderBy(b => b.Id).FirstAsync(Ct);
        var accounts = await db.Payments.Where(p => p.BatchId == batch.Id).Select(p => p.BankAccount).ToListAsync(Ct);
        var exported = await LooksAsync(user, "导出");
        using var browser = await PlainBrowser.SignInAsync(_server.Url, user);

        foreach (var list in lists.Replace("BATCH", $"/payments/batch/{batch.Code}?size=200").Split(','))
        {
            using var response = await browser.GetAsync(list);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotMatch(WholeIdNumber(), page);
            Assert.DoesNotMatch(WholeMobileNumber(), page);
            Assert.DoesNotContain(accounts, page.Contains);
        }
        foreach (var export in exports.Replace("BATCH", batch.Code).Split(','))
        {
            using var response = await browser.GetAsync(export);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var path = Path.Combine(Path.GetTempPath(), $"privacy-{Guid.NewGuid():N}.xlsx");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(Ct), Ct);
            var cells = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>()
                .SelectMany(r => r.Values).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
            File.Delete(path);
            Assert.NotEmpty(cells);
            Assert.DoesNotContain(cells, c => WholeIdNumber().IsMatch(c) || WholeMobileNumber().IsMatch(c) || accounts.Contains(c));
        }
        Assert.Equal(exported + exports.Split(',').Length, await LooksAsync(user, "导出"));
    }

    [Fact]
    public async Task AUnitOfficer_SeesItsMembersMasked_AndLeavesNoFullView()
    {
        await using var db = Db();
        var unitId = (await db.Users.SingleAsync(u => u.UserName == "unit", Ct)).UnitId;
        var member = await db.Members.Where(m => m.UnitId == unitId && m.Phone != null).OrderBy(m => m.Id).FirstAsync(Ct);
        using var browser = await PlainBrowser.SignInAsync(_server.Url, "unit");

        var page = WebUtility.HtmlDecode(await (await browser.GetAsync($"/members/{member.Id}")).Content.ReadAsStringAsync(Ct));

        Assert.Contains(member.Name, page);
        Assert.Contains(MutualAid.Common.IdNumber.Parse(member.IdNumber).Masked, page);
        Assert.Contains(MutualAid.Common.Masks.Phone(member.Phone), page);
        Assert.DoesNotContain(member.IdNumber, page);
        Assert.DoesNotContain(member.Phone!, page);
        Assert.Equal(0, await LooksAsync("unit", "查看会员完整资料"));
    }

    [Fact]
    public async Task AClaimsDocument_OpensForTheReviewer_WithAnAuditLine_AndForNobodyOutsideTheWork()
    {
        await using var db = Db();
        var document = await db.ClaimDocuments.AsNoTracking().OrderBy(d => d.Id).FirstAsync(Ct);
        var number = (await db.Claims.SingleAsync(c => c.Id == document.ClaimId, Ct)).Number;
        var url = $"/claims/{number}/documents/{document.Id}";

        using (var reviewer = await PlainBrowser.SignInAsync(_server.Url, "reviewer"))
        {
            using var response = await reviewer.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(document.ContentType, response.Content.Headers.ContentType?.MediaType);
            // The bytes are in the document store (a file), their hash on the row.
            Assert.Equal(document.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await response.Content.ReadAsByteArrayAsync(Ct))));
            Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Equal(1, await CountAsync(a => a.User == "reviewer" && a.Action == "查看理赔材料" && a.Subject == number));

            // Another claim's number with this document's id finds nothing.
            var other = await db.Claims.Where(c => c.Id != document.ClaimId).OrderBy(c => c.Id).FirstAsync(Ct);
            using var elsewhere = await reviewer.GetAsync($"/claims/{other.Number}/documents/{document.Id}");
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        }

        foreach (var user in new[] { "finance", "admin", "unit" })
        {
            using var browser = await PlainBrowser.SignInAsync(_server.Url, user);
            using var response = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var page = await (await browser.GetAsync($"/claims/{number}")).Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("/documents/", page);
        }
        using (var anonymous = new PlainBrowser(_server.Url))
        {
            using var response = await anonymous.GetAsync(url);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(1, await CountAsync(a => a.Action == "查看理赔材料"));
    }

    [Fact]
    public async Task EachDownloadOfTheBankFile_IsAnAuditLine()
    {
        await using var db = Db();
        var code = await db.PaymentBatches.Where(b => b.State != BatchState.Draft && b.State != BatchState.Approved).OrderBy(b => b.Id).Select(b => b.Code).FirstAsync(Ct);
        using var finance = await PlainBrowser.SignInAsync(_server.Url, "finance");

        using var first = await finance.GetAsync($"/payments/{code}/file");
        using var second = await finance.GetAsync($"/payments/{code}/file");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(Ct), await second.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(2, await CountAsync(a => a.User == "finance" && a.Action == "下载银行文件" && a.Subject == code));
    }

    [GeneratedRegex(@"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")]
    private static partial Regex WholeIdNumber();

    [GeneratedRegex(@"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")]
    private static partial Regex WholeMobileNumber();
}
