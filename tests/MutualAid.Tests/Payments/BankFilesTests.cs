using System.Text;
using ExcelDataReader;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Importing;
using MutualAid.Payments;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>The bank file as Excel opens it (UTF-8 with a BOM, an .xlsx copy), and the bank's return in the bank's own words.</summary>
public sealed class BankFilesTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two approved claims of 2,600 to workers with bank cards, in a batch approved by a second person and sent to the bank.</summary>
    private static async Task<(TestDatabase Database, string Batch, BankFile File)> SentBatchAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Name == "职工1" || m.Name == "职工2").ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [.. Enumerable.Range(1, 2).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000, 7000, "I10"))]);
        await using var desk = database.NewContext();
        var payments = new PaymentDesk(desk, Clock);
        var batch = (await payments.CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!;
        await payments.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
        return (database, batch.Code, await payments.SendAsync(batch.Code, TestActors.As("finance1"), Ct));
    }

    private static async Task<ReturnReport> ReturnAsync(TestDatabase database, params (string Batch, int Line, string Status, string? Reason)[] rows)
    {
        var content = Encoding.UTF8.GetBytes(OfficeFiles.Csv(["batch_id", "line_no", "status", "reason"], rows.Select(r => new object?[] { r.Batch, r.Line, r.Status, r.Reason })));
        await using var db = database.NewContext();
        return await new PaymentDesk(db, Clock).ImportReturnAsync("回盘.csv", () => new MemoryStream(content), TestActors.Tester, Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Send_WritesUtf8WithABom_AndExactlyTheSpecsColumns(string provider)
    {
        var (database, code, file) = await SentBatchAsync(provider);
        await using var _ = database;

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, file.Content[..3]);
        Assert.StartsWith("batch_id,line_no,payee_name,id_number,bank_account,bank_name,amount,memo\n", Encoding.UTF8.GetString(file.Content[3..]), StringComparison.Ordinal);
        var read = TableFile.Open(file.Name, () => new MemoryStream(file.Content));
        Assert.Equal(PaymentDesk.BankColumns, read.Headers);
        var first = read.Rows().First();
        Assert.Equal((code, "职工1", Seed.Worker(1), "2600.00"), (first.Text(0), first.Text(2), first.Text(3), first.Text(6)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExcelFile_HasTheSameLines_IdsAndAccountsAsText_AndEachDownloadIsAudited(string provider)
    {
        var (database, code, csv) = await SentBatchAsync(provider);
        await using var _ = database;

        BankFile excel;
        await using (var db = database.NewContext())
            excel = await new PaymentDesk(db, Clock).ExcelFileAsync(code, TestActors.As("finance2"), Ct);

        Assert.Equal(Path.ChangeExtension(csv.Name, ".xlsx"), excel.Name);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", excel.ContentType);
        TextEncodings.EnsureRegistered();
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(excel.Content));
        Assert.True(reader.Read());
        Assert.Equal(PaymentDesk.BankColumns, Enumerable.Range(0, reader.FieldCount).Select(reader.GetString));
        Assert.True(reader.Read());
        Assert.Equal(code, reader.GetValue(0));
        Assert.Equal(Seed.Worker(1), reader.GetValue(3));
        Assert.IsType<string>(reader.GetValue(4));
        Assert.Equal(2600d, reader.GetValue(6));
        // The importer reads the copy back as the bank file it copies.
        var copy = TableFile.Open(excel.Name, () => new MemoryStream(excel.Content)).Rows().Select(r => string.Join(",", Enumerable.Range(0, 8).Select(r.Text))).ToList();
        var original = TableFile.Open(csv.Name, () => new MemoryStream(csv.Content)).Rows().Select(r => string.Join(",", Enumerable.Range(0, 8).Select(r.Text).Select((t, i) => i == 6 ? decimal.Parse(t!, System.Globalization.CultureInfo.InvariantCulture).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : t))).ToList();
        Assert.Equal(original, copy);
        await using var check = database.NewContext();
        var audit = await check.AuditEntries.Where(a => a.Subject == code && a.Action == "下载银行文件").SingleAsync(Ct);
        Assert.Equal(("finance2", $"{excel.Name}，2 笔"), (audit.User, audit.Detail));
    }

    [Fact]
    public async Task ExcelFile_OfABatchNotSent_IsRefused()
    {
        await using var database = await PaidCityAsync("sqlite");
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new PaymentDesk(db, Clock).ExcelFileAsync("P20240701000099", TestActors.Tester, Ct));

        Assert.Equal("没有这个批次", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Return_InTheBanksOwnWords_PaysTheSuccessAndRequeuesTheFailure(string provider)
    {
        var (database, code, _) = await SentBatchAsync(provider);
        await using var __ = database;

        var report = await ReturnAsync(database, (code, 1, "成功", null), (code, 2, " 失败 ", "户名不符"));

        Assert.Equal((1, 1, 0, false), (report.Paid, report.Failed, report.Rejected.Count, report.Refused));
        await using var db = database.NewContext();
        Assert.Equal([ClaimState.Paid, ClaimState.Approved], await db.Claims.OrderBy(c => c.Id).Select(c => c.State).ToListAsync(Ct));
        Assert.Equal("户名不符", (await db.Payments.SingleAsync(p => p.State == PaymentState.Failed, Ct)).Reason);
    }

    [Theory]
    [InlineData("success", true)]
    [InlineData("SUCCESS", true)]
    [InlineData("成功", true)]
    [InlineData("failed", false)]
    [InlineData("Failed", false)]
    [InlineData("失败", false)]
    [InlineData("ok", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Succeeded_ReadsTheSpecsWordsAndTheBanks(string? status, bool? succeeded)
    {
        Assert.Equal(succeeded, PaymentDesk.Succeeded(status));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Return_WhoseRowsWereAllRefused_IsRefused_AndChangesNothing(string provider)
    {
        var (database, code, _) = await SentBatchAsync(provider);
        await using var __ = database;

        var refused = await ReturnAsync(database, (code, 1, "ok", null), (code, 9, "成功", null), ("P20240701999999", 1, "成功", null));
        var partly = await ReturnAsync(database, (code, 1, "成功", null), (code, 9, "成功", null));

        Assert.True(refused.Refused);
        Assert.Equal((3, 0, 0, 0), (refused.Rejected.Count, refused.Paid, refused.Failed, refused.Unchanged));
        Assert.Equal("第 2 行 status“ok”：应为 success（成功）或 failed（失败）", refused.Rejected[0].ToString());
        Assert.False(partly.Refused);
        Assert.Equal(1, partly.Paid);
    }

    [Fact]
    public async Task ReturnVerb_WhoseRowsWereAllRefused_ExitsNonZeroSayingSo()
    {
        var (database, code, _) = await SentBatchAsync("sqlite");
        await using var __ = database;
        var file = RosterFiles.Write("csv", ["batch_id", "line_no", "status"], [[code, 9, "成功"]]);

        var run = await CliRunner.RunAsync("payments", "return", file, "--db", database.Database.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("回盘未导入，1 行全部被拒收", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"第 2 行 line_no“9”：批次 {code} 没有这一笔", run.Stderr, StringComparison.Ordinal);
    }
}
