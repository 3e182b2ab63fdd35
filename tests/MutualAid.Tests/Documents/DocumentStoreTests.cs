using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Documents;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Documents;

/// <summary>
/// Documents' bytes in the document store (a temporary folder of each test's own), not in the
/// database: stored once, read back only whole and unchanged; old rows moved there by the CLI.
/// </summary>
public sealed class DocumentStoreTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 9, 2, 2, 0, 0, TimeSpan.Zero));
    private static readonly UserScope Clerk = new(0, "clerk1", "clerk1", new HashSet<string> { Roles.Clerk }, null, null, null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An in-patient stay's four documents: the same PDF twice (discharge summary and expense list).</summary>
    private static readonly List<DocumentFile> Files =
    [
        new("idCard", "身份证.jpg", TestFiles.Jpeg), new("dischargeSummary", "出院小结.pdf", TestFiles.Pdf),
        new("invoice", "发票.png", TestFiles.Png), new("expenseList", "费用清单.pdf", TestFiles.Pdf),
    ];

    /// <summary>Worker 1's stay taken with its four documents; its number.</summary>
    private static async Task<string> SubmitAsync(TestDatabase database)
    {
        var stay = new ClaimEvent
        {
            AdmissionDate = new DateOnly(2024, 8, 15),
            DischargeDate = new DateOnly(2024, 8, 20),
            Diagnoses = "I10",
            TotalCost = Money.FromYuan(10000),
            InsurancePaid = Money.FromYuan(7000),
        };
        await using var db = database.NewContext();
        var claim = await new ManualClaims(db, Clock).SubmitAsync(
            new ManualClaimRequest("clerk1", Seed.Worker(1), EventKinds.Hospitalization, stay.DischargeDate.Value, stay, [], Files), TestActors.Tester, Ct);
        return claim.Number;
    }

    private static async Task<OpenedDocument?> OpenAsync(TestDatabase database, string number, string type)
    {
        await using var db = database.NewContext();
        var id = await db.ClaimDocuments.Where(d => d.Type == type).Select(d => d.Id).SingleAsync(Ct);
        return await new OpenClaimDocument(db, Clock).HandleAsync(Clerk, number, id, TestActors.Tester, Ct);
    }

    private static string PathOf(TestDatabase database, byte[] content) =>
        new FolderDocumentStore(database.Database.DocumentFolder).PathOf(DocumentFiles.Hash(content));

    private static async Task<int> LooksAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.AuditEntries.CountAsync(a => a.Action == "查看理赔材料", Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upload_StoresEachContentOnceAsAFile_NotInTheDatabase_AndOpensTheSameBytes(string provider)
    {
        await using var database = await PaidCityAsync(provider);

        var number = await SubmitAsync(database);

        await using (var db = database.NewContext())
            Assert.Equal((4, 0), (await db.ClaimDocuments.CountAsync(Ct), await db.ClaimDocuments.CountAsync(d => d.Content != null, Ct)));
        // Four documents, three contents: the PDF is stored once.
        Assert.Equal(
            new[] { TestFiles.Jpeg, TestFiles.Pdf, TestFiles.Png }.Select(c => PathOf(database, c)).Order(),
            Directory.EnumerateFiles(database.Database.DocumentFolder, "*", SearchOption.AllDirectories).Order());
        Assert.Equal(TestFiles.Png, await File.ReadAllBytesAsync(PathOf(database, TestFiles.Png), Ct));
        var opened = await OpenAsync(database, number, "invoice");
        Assert.Equal(("发票.png", "image/png"), (opened!.FileName, opened.ContentType));
        Assert.Equal(TestFiles.Png, opened.Content);
        Assert.Equal(TestFiles.Pdf, (await OpenAsync(database, number, "expenseList"))!.Content);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_AFileAlteredOnDisk_IsRefusedSayingSo_AndIsNoLook(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var number = await SubmitAsync(database);
        var altered = TestFiles.Png.ToArray();
        altered[40] ^= 1;
        await File.WriteAllBytesAsync(PathOf(database, TestFiles.Png), altered, Ct);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => OpenAsync(database, number, "invoice"));

        Assert.Equal($"材料 发票.png: {DocumentFiles.Altered}", Assert.Single(refused.Problems).ToString());
        Assert.Equal(0, await LooksAsync(database));
        Assert.NotNull(await OpenAsync(database, number, "idCard"));
        Assert.Equal(1, await LooksAsync(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Open_AFileMissingFromTheStore_IsRefusedSayingSo(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var number = await SubmitAsync(database);
        File.Delete(PathOf(database, TestFiles.Jpeg));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => OpenAsync(database, number, "idCard"));

        Assert.Equal($"材料 身份证.jpg: {DocumentFiles.Missing}", Assert.Single(refused.Problems).ToString());
        Assert.Equal(0, await LooksAsync(database));
    }

    [Fact]
    public async Task Put_TheSameContentAgain_KeepsOneFile_AndMendsADamagedOne()
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-documents-").FullName;
        try
        {
            var store = new FolderDocumentStore(folder);
            var hash = DocumentFiles.Hash(TestFiles.Pdf);

            // Eight puts of one content at once (two clerks uploading the same scan), then once more: one file, no temporary one left.
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.PutAsync(hash, TestFiles.Pdf, Ct), Ct)));
            await store.PutAsync(hash, TestFiles.Pdf, Ct);
            Assert.Equal([store.PathOf(hash)], Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));
            Assert.Equal(Path.Combine(folder, hash[..2], hash[2..4], hash), store.PathOf(hash));
            await File.WriteAllBytesAsync(store.PathOf(hash), TestFiles.Png, Ct);
            await store.PutAsync(hash, TestFiles.Pdf, Ct);

            Assert.Equal(TestFiles.Pdf, await store.GetAsync(hash, Ct));
            Assert.Single(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));
            await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(hash, TestFiles.Png, Ct));
            Assert.Throws<ArgumentException>(() => store.PathOf("../../etc/passwd"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cli_MovesTheBytesOldRowsHold_OnceEvenRunTwice_AndCheckFindsABadFile(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var number = await SubmitAsync(database);
        // Rows as they were before the store: their bytes in the database, no files.
        await using (var db = database.NewContext())
        {
            foreach (var content in new[] { TestFiles.Jpeg, TestFiles.Pdf, TestFiles.Png })
            {
                var hash = DocumentFiles.Hash(content);
                await db.ClaimDocuments.Where(d => d.Sha256 == hash).ExecuteUpdateAsync(s => s.SetProperty(d => d.Content, content), Ct);
            }
        }
        Directory.Delete(database.Database.DocumentFolder, recursive: true);
        var before = await CliRunner.RunAsync(database, "documents", "check");

        var moved = await CliRunner.RunAsync(database, "documents", "move");
        var again = await CliRunner.RunAsync(database, "documents", "move", "--json");
        var check = await CliRunner.RunAsync(database, "documents", "check");

        Assert.Equal((0, ""), (before.ExitCode, before.Stderr));
        Assert.Contains("相符 0 件，仍在数据库中 4 件", before.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, ""), (moved.ExitCode, moved.Stderr));
        Assert.StartsWith("已移入文件库 4 件", moved.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(again.Stdout).RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("相符 4 件", check.Stdout, StringComparison.Ordinal);
        await using (var db = database.NewContext())
            Assert.Equal(0, await db.ClaimDocuments.CountAsync(d => d.Content != null, Ct));
        Assert.Equal(TestFiles.Jpeg, (await OpenAsync(database, number, "idCard"))!.Content);

        File.Delete(PathOf(database, TestFiles.Jpeg));
        await File.WriteAllBytesAsync(PathOf(database, TestFiles.Png), TestFiles.Pdf, Ct);
        var bad = await CliRunner.RunAsync(database, "documents", "check");

        Assert.Equal(1, bad.ExitCode);
        var lines = bad.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("相符 2 件，缺失或不符 2 件", lines[0], StringComparison.Ordinal);
        Assert.Equal([$"理赔 {number} 材料 身份证.jpg", $"理赔 {number} 材料 发票.png"], lines[1..].Select(l => l[..l.IndexOf('（', StringComparison.Ordinal)]));
        Assert.Contains("文件库中没有这个文件", lines[1], StringComparison.Ordinal);
        Assert.Contains("校验值不符", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Move_ARowWhoseBytesDifferFromItsHash_IsLeftAndNamed(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var number = await SubmitAsync(database);
        var png = DocumentFiles.Hash(TestFiles.Png);
        await using (var db = database.NewContext())
            await db.ClaimDocuments.Where(d => d.Sha256 == png).ExecuteUpdateAsync(s => s.SetProperty(d => d.Content, TestFiles.Jpeg), Ct);

        DocumentUpkeep.MoveReport report;
        await using (var db = database.NewContext())
            report = await new DocumentUpkeep(db).MoveAsync(Ct);

        Assert.Equal(0, report.Moved);
        Assert.StartsWith($"理赔 {number} 材料 发票.png", Assert.Single(report.Bad), StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal(TestFiles.Jpeg, await check.ClaimDocuments.Where(d => d.Sha256 == png).Select(d => d.Content).SingleAsync(Ct));
    }
}
