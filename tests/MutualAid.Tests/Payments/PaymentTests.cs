using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>Approved claims paid through the bank exactly once, whatever is retried, with the books agreeing.</summary>
public sealed class PaymentTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Three automatic claims of 2,600 approved by rule; workers 1 and 2 have bank cards, worker 3 has none.</summary>
    private static async Task<TestDatabase> ApprovedClaimsAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Name != "职工3").ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [.. Enumerable.Range(1, 3).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000, 7000, "I10"))]);
        return database;
    }

    private static async Task<T> WithDeskAsync<T>(TestDatabase database, Func<PaymentDesk, Task<T>> act)
    {
        await using var db = database.NewContext();
        return await act(new PaymentDesk(db, Clock));
    }

    private static async Task<LedgerCheckReport> CheckAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await new LedgerCheck(db).HandleAsync(Ct);
    }

    private static string ReturnFile(params (string Batch, int Line, string Status, string? Reason)[] rows) =>
        RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [.. rows.Select(r => new object?[] { r.Batch, r.Line, r.Status, r.Reason })]);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ABatch_IsPaidOnce_ThroughRetriesAndAFailure_AndTheBooksAgree(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var folder = Directory.CreateTempSubdirectory("mutualaid-bank").FullName;

        var made = await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct));
        var batch = made.Batch!;
        Assert.Equal((2, Money.FromYuan(5200)), (batch.Count, batch.Total));
        Assert.Contains("没有可用的银行账户", Assert.Single(made.Held).Message);
        Assert.Null((await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => WithDeskAsync(database, d => d.ApproveAsync(batch.Code, TestActors.As("finance1"), Ct)));
        Assert.Contains("须由另一人审批", Assert.Single(refused.Problems).Message);
        await WithDeskAsync(database, d => d.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        var path = await WithDeskAsync(database, d => d.ExportAsync(batch.Code, folder, Ct));
        var again = await WithDeskAsync(database, d => d.ExportAsync(batch.Code, folder, Ct));

        Assert.Equal(path, again);
        Assert.Equal($"{batch.Code}_2_5200.00.csv", Path.GetFileName(path));
        var lines = await File.ReadAllLinesAsync(path, Ct);
        Assert.Equal("batch_id,line_no,payee_name,id_number,bank_account,bank_name,amount,memo", lines[0]);
        Assert.Matches($"^{batch.Code},1,职工1,{Seed.Worker(1)},62220200000000\\d{{4}},中国工商银行,2600.00,互助金 C2024\\d{{6}} 在职职工住院医疗互助保障$", lines[1]);

        var file = ReturnFile((batch.Code, 1, "success", null), (batch.Code, 2, "failed", "户名不符"));
        var first = await WithDeskAsync(database, d => d.ImportReturnAsync(file, TestActors.Tester, Ct));
        var twice = await WithDeskAsync(database, d => d.ImportReturnAsync(file, TestActors.Tester, Ct));
        Assert.Equal((1, 1, 0), (first.Paid, first.Failed, first.Unchanged));
        Assert.Equal((0, 0, 2), (twice.Paid, twice.Failed, twice.Unchanged));
        Assert.True((await CheckAsync(database)).Ok);

        // The failed one goes back to the queue; with a corrected account it leaves in the next batch.
        await using (var db = database.NewContext())
        {
            var member = await db.Members.SingleAsync(m => m.Name == "职工2", Ct);
            member.BankAccount = "6222020000009999";
            await db.SaveChangesAsync(Ct);
        }
        var next = (await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithDeskAsync(database, d => d.ApproveAsync(next.Code, TestActors.As("finance2"), Ct));
        await WithDeskAsync(database, d => d.ExportAsync(next.Code, folder, Ct));
        await WithDeskAsync(database, d => d.ImportReturnAsync(ReturnFile((next.Code, 1, "success", null)), TestActors.Tester, Ct));

        await using var check = database.NewContext();
        var claims = await check.Claims.OrderBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal([ClaimState.Paid, ClaimState.Paid, ClaimState.Approved], claims.Select(c => c.State));
        Assert.All(claims.Take(2), c => Assert.Equal(Clock.GetUtcNow().UtcDateTime, c.PaidAt));
        var payments = await check.Payments.ToListAsync(Ct);
        Assert.Equal(2, payments.Count(p => p.State == PaymentState.Paid));
        Assert.Equal([claims[0].Id, claims[1].Id], payments.Where(p => p.State == PaymentState.Paid).Select(p => p.ClaimId).Order());
        Assert.Equal(2, await check.Notices.CountAsync(n => n.Topic == NoticeTopic.ClaimPaid, Ct));
        var books = await CheckAsync(database);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
        Assert.Equal(-2600m, books.Figures.Single(f => f.What.StartsWith("应付", StringComparison.Ordinal)).Ledger);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ABatch_WhenTwoSchemesShareAPlanCode_NamesThePlanOnce()
    {
        await using var database = await ApprovedClaimsAsync("sqlite");
        await using (var db = database.NewContext())
            await new MutualAid.Schemes.LoadScheme(db, Clock).HandleAsync(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "baoji.json"), Ct), Ct);

        var batch = (await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;

        // Both schemes have an INPATIENT plan; the scheme loaded first names it.
        Assert.All(batch.Payments, p => Assert.EndsWith(" 在职职工住院医疗互助保障", p.Memo, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProcessKilledAfterWritingTheFile_WritesTheSameFileAgain_AndPaysOnce()
    {
        await using var database = await ApprovedClaimsAsync("sqlite");
        var folder = Directory.CreateTempSubdirectory("mutualaid-bank").FullName;
        var batch = (await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithDeskAsync(database, d => d.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        var file = new SqliteConnectionStringBuilder(database.Database.ConnectionString).DataSource;
        SqliteConnection.ClearAllPools();
        File.Copy(file, file + ".before", overwrite: true);

        // The file is written and recorded; then the database goes back to before the record, as if the process died in between.
        var path = await WithDeskAsync(database, d => d.ExportAsync(batch.Code, folder, Ct));
        var written = await File.ReadAllBytesAsync(path, Ct);
        SqliteConnection.ClearAllPools();
        File.Copy(file + ".before", file, overwrite: true);
        File.Delete(file + "-wal");
        var rerun = await WithDeskAsync(database, d => d.ExportAsync(batch.Code, folder, Ct));
        await WithDeskAsync(database, d => d.ImportReturnAsync(ReturnFile((batch.Code, 1, "success", null), (batch.Code, 2, "success", null)), TestActors.Tester, Ct));

        Assert.Equal(written, await File.ReadAllBytesAsync(rerun, Ct));
        await using var check = database.NewContext();
        Assert.Equal(2, await check.Claims.CountAsync(c => c.State == ClaimState.Paid, Ct));
        Assert.Equal(2, await check.Payments.CountAsync(Ct));
        Assert.Equal(1, await check.JournalEntries.CountAsync(e => e.Kind == EntryKind.PaymentsSent, Ct));
        Assert.True((await CheckAsync(database)).Ok);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AReturnFile_RowsThatDoNotMatch_AreRejectedWithTheirLine(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var batch = (await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithDeskAsync(database, d => d.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        var early = await WithDeskAsync(database, d => d.ImportReturnAsync(ReturnFile((batch.Code, 1, "success", null)), TestActors.Tester, Ct));
        await WithDeskAsync(database, d => d.ExportAsync(batch.Code, Path.GetTempPath(), Ct));

        var report = await WithDeskAsync(database, d => d.ImportReturnAsync(ReturnFile(
            (batch.Code, 1, "success", null), ("P20240701999999", 1, "success", null), (batch.Code, 7, "success", null),
            (batch.Code, 2, "ok", null), (batch.Code, 1, "failed", "账户已销户")), TestActors.Tester, Ct));

        Assert.Equal($"第 2 行 batch_id“{batch.Code}”：该批次尚未送银行", Assert.Single(early.Rejected).ToString());
        Assert.Equal(1, report.Paid);
        Assert.Equal(
            ["batch_id P20240701999999", "line_no 7", "status ok", "status failed"],
            report.Rejected.Select(r => $"{r.Column} {r.Value}"));
        Assert.Equal([3, 4, 5, 6], report.Rejected.Select(r => r.Line));
        Assert.True((await CheckAsync(database)).Ok);
        File.Delete(Path.Combine(Path.GetTempPath(), batch.FileName));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AClosedMonth_RefusesPostings_AndTheEventWithThem(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using var db = database.NewContext();
        await new Books(db).CloseAsync(2024, 5, TestActors.As("finance1"), Clock.GetUtcNow().UtcDateTime, Ct);
        var desk = new Premiums.PremiumDesk(db, Clock);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            desk.RecordAsync(Premiums.PayerRef.Unit(Seed.UnitA), new DateOnly(2025, 5, 1), Money.FromYuan(60), new DateOnly(2024, 5, 20), "LATE", TestActors.Tester, Ct));

        Assert.StartsWith("2024-05 已结账，不能再记账", Assert.Single(error.Problems).Message);
        await using var check = database.NewContext();
        Assert.False(await check.PremiumPayments.AnyAsync(p => p.Reference == "LATE", Ct));
        var open = await Assert.ThrowsAsync<InvalidInputException>(() => new Books(check).CloseAsync(2024, 7, TestActors.As("finance1"), Clock.GetUtcNow().UtcDateTime, Ct));
        Assert.Contains("尚未结束", Assert.Single(open.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARecoveryRepaid_IsRecordedOnce_AndTheBankHasItBack(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var folder = Directory.CreateTempSubdirectory("mutualaid-bank").FullName;
        var batch = (await WithDeskAsync(database, d => d.CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithDeskAsync(database, d => d.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        await WithDeskAsync(database, d => d.ExportAsync(batch.Code, folder, Ct));
        await WithDeskAsync(database, d => d.ImportReturnAsync(ReturnFile((batch.Code, 1, "success", null), (batch.Code, 2, "success", null)), TestActors.Tester, Ct));
        var refund = Settlement("R1", 1, new DateOnly(2024, 6, 10), -10000, -7000, "I10");
        (refund[14], refund[15], refund[18], refund[19]) = ("-3000.00", "-3000.00", "1", "S1");
        await ImportAsync(database, [refund]);
        string number;
        await using (var db = database.NewContext())
            number = (await db.Claims.SingleAsync(c => c.Id == db.Recoveries.Single().ClaimId, Ct)).Number;
        var bankBefore = (await CheckAsync(database)).Figures[0].Ledger;

        await using (var db = database.NewContext())
            await new CollectRecovery(db, Clock).HandleAsync(number, new DateOnly(2024, 6, 28), "RB1", TestActors.Tester, Ct);
        var cli = await CliRunner.RunAsync("claims", "recover", number, "--on", "2024-06-28", "--ref", "RB1", "--db", database.Database.ConnectionString);
        var badDate = await CliRunner.RunAsync("claims", "recover", number, "--on", "6/28", "--ref", "RB1", "--db", database.Database.ConnectionString);
        await using var check = database.NewContext();
        var other = await Assert.ThrowsAsync<InvalidInputException>(() => new CollectRecovery(check, Clock).HandleAsync(number, new DateOnly(2024, 6, 29), "RB2", TestActors.Tester, Ct));
        var none = await Assert.ThrowsAsync<InvalidInputException>(() => new CollectRecovery(check, Clock).HandleAsync("C2024999999", new DateOnly(2024, 6, 29), "RB3", TestActors.Tester, Ct));

        var books = await CheckAsync(database);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
        Assert.Equal(bankBefore + 2600m, books.Figures[0].Ledger);
        Assert.Equal(0m, (await new LedgerCheck(check).BalanceAsync(Accounts.RecoveriesReceivable, Ct)).Yuan);
        Assert.Equal(1, await check.JournalEntries.CountAsync(e => e.Kind == EntryKind.RecoveryCollected, Ct));
        Assert.Contains("已于 2024-06-28 收回（流水号 RB1）", Assert.Single(other.Problems).Message);
        Assert.Equal("这件理赔没有追回款", Assert.Single(none.Problems).Message);
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("2,600.00 元已于 2024-06-28 收回（RB1）", cli.Stdout);
        Assert.Equal(2, badDate.ExitCode);
        Assert.Contains("--on", badDate.Stderr);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheCheck_FindsAnEntryThatDoesNotBalance(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var before = await CheckAsync(database);
        await using (var db = database.NewContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE journal_lines SET debit = debit + 1 WHERE id = (SELECT MIN(id) FROM journal_lines WHERE debit > 0)", Ct);

        var after = await CheckAsync(database);

        Assert.Equal((0, true), (before.Unbalanced, before.Ok));
        Assert.Equal((1, before.Entries, before.Debits + 0.01m, before.Credits), (after.Unbalanced, after.Entries, after.Debits, after.Credits));
        Assert.False(after.Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheCheck_FindsBooksThatDisagreeWithTheClaims(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        Assert.True((await CheckAsync(database)).Ok);
        Assert.Equal(0, (await CliRunner.RunAsync("ledger", "check", "--db", database.Database.ConnectionString)).ExitCode);
        await using (var db = database.NewContext())
            await db.ClaimLines.Where(l => l.BenefitCode == "DEDUCTIBLE_AID").Take(1).ExecuteUpdateAsync(s => s.SetProperty(l => l.Amount, Money.FromYuan(300)), Ct);

        var report = await CheckAsync(database);
        var cli = await CliRunner.RunAsync("ledger", "check", "--db", database.Database.ConnectionString);

        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("不一致\t互助金支出-在职职工住院医疗互助保障", cli.Stdout);
        Assert.Contains("账实不符", cli.Stdout);
        Assert.False(report.Ok);
        var wrong = Assert.Single(report.Figures, f => !f.Agrees);
        Assert.Equal((7800m, 7900m), (wrong.Ledger, wrong.Records));
        Assert.Contains("互助金支出-在职职工住院医疗互助保障", wrong.What);
    }
}
