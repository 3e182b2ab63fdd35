using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Archive;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Ledger;
using MutualAid.Payments;
using MutualAid.Replay;
using MutualAid.Reports;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Archive;

/// <summary>归档: a closed year's claims moved out of the live tables, still read where they must be, on both databases.</summary>
public sealed class ArchiveTests
{
    /// <summary>After the periods from 2024-05-01 have ended.</summary>
    private static readonly FakeTimeProvider Later = new(new DateTimeOffset(2025, 6, 1, 2, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Three stays of 2024 (workers 1–3, 2,600 each), approved by rule; those with a bank card
    /// (the first <paramref name="cards"/>) paid through the bank, their notices sent; December 2024 closed when asked.
    /// </summary>
    private static async Task<TestDatabase> YearAsync(string provider, int cards = 3, bool close = true)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Name == "职工1" || m.Name == "职工2" || m.Name == "职工3").OrderBy(m => m.Name).Take(cards).ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [.. Enumerable.Range(1, 3).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000, 7000, "I10"))]);
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
        var folder = Directory.CreateTempSubdirectory("mutualaid-archive").FullName;
        await using (var db = database.NewContext())
        {
            var desk = new PaymentDesk(db, clock);
            var batch = (await desk.CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!;
            await desk.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
            await desk.ExportAsync(batch.Code, folder, Ct);
            var answers = RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"],
                [.. Enumerable.Range(1, batch.Count).Select(i => new object?[] { batch.Code, i, "success", null })]);
            await desk.ImportReturnAsync(answers, TestActors.Tester, Ct);
            await db.Notices.ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, new DateTime(2024, 7, 2, 0, 0, 0, DateTimeKind.Utc)), Ct);
            if (close)
                await new Books(db).CloseAsync(2024, 12, TestActors.As("finance1"), new DateTime(2025, 1, 5, 0, 0, 0, DateTimeKind.Utc), Ct);
        }
        Directory.Delete(folder, recursive: true);
        return database;
    }

    private static async Task<ArchiveOutcome> ArchiveAsync(TestDatabase database, int batchSize = YearArchive.BatchSize)
    {
        await using var db = database.NewContext();
        return await new YearArchive(db, Later).RunAsync(2024, TestActors.As("admin"), Ct, batchSize);
    }

    /// <summary>Everything the claims are: each claim with its lines, transitions and notices, as the archive's reading sees them.</summary>
    private static async Task<string> ClaimsSeenAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        await using var reading = await db.WithArchiveAsync(Ct);
        var claims = await reading.Claims.Include(c => c.Lines).OrderBy(c => c.Id).ToListAsync(Ct);
        var notices = await reading.Notices.Where(n => n.ClaimId != null).GroupBy(n => n.ClaimId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct);
        return string.Join("\n", claims.Select(c => $"{c.Number} {c.State} {c.Total} lines {string.Join(",", c.Lines.Select(l => $"{l.BenefitCode}:{l.Amount}"))} "
            + $"moves {string.Join(",", c.Transitions.Select(t => $"{t.From}>{t.To}"))} notices {notices.SingleOrDefault(n => n.Key == c.Id)?.Count}"));
    }

    private static async Task<string> BooksAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var report = await new LedgerCheck(db).HandleAsync(Ct);
        Assert.True(report.Ok, string.Join("; ", report.Figures.Where(f => !f.Agrees)));
        return $"{report.Entries} {report.Debits} {report.Credits} " + string.Join("; ", report.Figures);
    }

    private static async Task<RecomputeSummary> RecomputeAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        await using var reading = await db.WithArchiveAsync(Ct);
        var differences = new List<ClaimDifference>();
        var summary = await new Recompute(reading).RunAsync(null, null, differences.Add, Ct);
        Assert.Empty(differences);
        return summary;
    }

    /// <summary>The 2024 loss ratios and adequacy, as the reports read them; the payouts they sum.</summary>
    private static async Task<(string Rows, decimal Payouts)> ReportsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var reports = new FundReports(db);
        var (loss, adequacy) = (await reports.LossRatiosAsync(2024, Ct), await reports.AdequacyAsync(2024, 1, 0.05m, Ct));
        return (string.Join("\n", [.. loss.Select(r => r.ToString()), .. adequacy.Select(r => r.ToString())]), loss.Sum(r => r.Payouts));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AClosedYear_IsMovedWithEveryRowOfItsClaims_AndTheBooksAndTheReadersSeeTheSame(string provider)
    {
        await using var database = await YearAsync(provider);
        var (seen, books, recomputed, reports) = (await ClaimsSeenAsync(database), await BooksAsync(database), await RecomputeAsync(database), await ReportsAsync(database));
        Assert.Equal(3, recomputed.Claims);
        Assert.Equal(7800m, reports.Payouts);

        var outcome = await ArchiveAsync(database);

        Assert.Equal((3, 1, 0), (outcome.Claims, outcome.Batches, outcome.Left));
        await using var db = database.NewContext();
        Assert.Equal((0, 0, 0), (await db.Claims.CountAsync(Ct), await db.ClaimLines.CountAsync(Ct), await db.Notices.CountAsync(n => n.ClaimId != null, Ct)));
        Assert.Equal(3, await db.Payments.CountAsync(Ct));
        Assert.Equal(3, await db.Settlements.CountAsync(Ct));
        Assert.Equal(seen, await ClaimsSeenAsync(database));
        Assert.Equal(books, await BooksAsync(database));
        Assert.Equal(recomputed, await RecomputeAsync(database));
        Assert.Equal(reports, await ReportsAsync(database));
        Assert.Equal([new ArchivedYear(2024, 3, 0)], await new YearArchive(db, Later).ListAsync(Ct));
        Assert.Contains(await db.AuditEntries.Select(a => a.Action).ToListAsync(Ct), a => a == "归档");

        // The member's history and the claim's own page (their queries): an archived claim is still there, read only.
        var member = await db.Members.SingleAsync(m => m.Name == "职工1", Ct);
        var scope = new UserScope(0, "member", "会员", new HashSet<string>(), null, null, member.Id);
        await using var reading = await db.WithArchiveAsync(Ct);
        var history = await reading.Claims.Where(c => c.MemberId == member.Id).ToListAsync(Ct);
        var claim = Assert.Single(history);
        Assert.Equal(ClaimState.Paid, (await scope.Claims(reading).Include(c => c.Lines).SingleAsync(c => c.Id == claim.Id, Ct)).State);
        Assert.Null(await scope.Claims(db).SingleOrDefaultAsync(c => c.Id == claim.Id, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reading.SaveChangesAsync(Ct));

        // Lists and queues read the live tables: nothing of 2024 is left to review or pay.
        Assert.Empty(await new PaymentDesk(db, Later).HeldAsync(100, Ct));
        Assert.Equal(0, (await ArchiveAsync(database)).Claims);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AYearNotClosed_IsRefused_NamingTheMonth_TheUnfinishedClaim_AndThePeriodsStillRunning(string provider)
    {
        // Worker 3 has no bank card: that claim is approved and not paid. The books are open and, in March 2025, the periods run until April.
        await using var database = await YearAsync(provider, cards: 2, close: false);
        await using var db = database.NewContext();
        var unpaid = await db.Claims.SingleAsync(c => c.State == ClaimState.Approved, Ct);
        var march = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new YearArchive(db, march).RunAsync(2024, TestActors.As("admin"), Ct));

        var text = string.Join("\n", refused.Problems);
        Assert.StartsWith("2024 年归档: 不能归档", text, StringComparison.Ordinal);
        Assert.Contains("2024-12: 尚未结账（尚未结过账）", text, StringComparison.Ordinal);
        Assert.Contains($"{unpaid.Number}: 现为“已审批”，尚未办结", text, StringComparison.Ordinal);
        Assert.Contains("职工1 INPATIENT 参保期 2024-05-01～", text, StringComparison.Ordinal);
        Assert.Contains("尚未结束", text, StringComparison.Ordinal);
        Assert.Equal(3, await db.Claims.CountAsync(Ct));
        var thisYear = await Assert.ThrowsAsync<InvalidInputException>(() => new YearArchive(db, march).RunAsync(2025, TestActors.As("admin"), Ct));
        Assert.Equal("2025 年尚未结束，不能归档", Assert.Single(thisYear.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoRunsAtOnce_MoveEachClaimOnce(string provider)
    {
        await using var database = await YearAsync(provider);
        var seen = await ClaimsSeenAsync(database);

        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new YearArchive(db, Later).RunAsync(2024, TestActors.As("admin"), Ct, batchSize: 1));

        Assert.Equal((2, 0), (done, refused.Count));
        Assert.Equal(seen, await ClaimsSeenAsync(database));
        await using var db = database.NewContext();
        Assert.Equal(0, await db.Claims.CountAsync(Ct));
        Assert.Equal([new ArchivedYear(2024, 3, 0)], await new YearArchive(db, Later).ListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARunCutShort_IsCompletedByRunningItAgain(string provider)
    {
        await using var database = await YearAsync(provider);
        var seen = await ClaimsSeenAsync(database);
        await using (var db = database.NewContext())
        {
            Assert.Equal(1, await new YearArchive(db, Later).MoveBatchAsync(2024, 1, TestActors.As("admin"), Ct));
            Assert.Equal([new ArchivedYear(2024, 1, 2)], await new YearArchive(db, Later).ListAsync(Ct));
        }

        var outcome = await ArchiveAsync(database, batchSize: 1);

        Assert.Equal((2, 2, 0), (outcome.Claims, outcome.Batches, outcome.Left));
        Assert.Equal(seen, await ClaimsSeenAsync(database));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheVerb_ArchivesTheYear_ListsIt_AndRecomputeAndTheLedgerCheckStillAgree(string provider)
    {
        await using var database = await YearAsync(provider);
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", database.Database.ConnectionString]);

        var open = await Run("archive", "2099", "--by", "admin");
        var archived = await Run("archive", "2024", "--by", "admin");
        var list = await Run("archive", "--list");
        var recompute = await Run("recompute");
        var check = await Run("ledger", "check");

        Assert.Equal(2, open.ExitCode);
        Assert.Contains("尚未结束，不能归档", open.Stderr, StringComparison.Ordinal);
        Assert.True(archived.ExitCode == 0, archived.Stderr);
        Assert.Contains("2024 年归档理赔 3 件（1 批）；该年度理赔已全部归档", archived.Stdout, StringComparison.Ordinal);
        Assert.Contains("2024 年\t已归档理赔 3 件\t未归档 0 件", list.Stdout, StringComparison.Ordinal);
        Assert.True(recompute.ExitCode == 0, recompute.Stdout + recompute.Stderr);
        Assert.Contains("重算理赔 3 件", recompute.Stdout, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
    }

    /// <summary>
    /// A stay that comes late for a period whose earlier claims were archived is computed against them, as
    /// if they were live: the deductible aid (200 once a period) is not paid again. The archived stay is
    /// still the same event for one stay, one payout.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ALateClaim_OfAPeriodWhoseClaimsWereArchived_CountsThem(string provider)
    {
        await using var live = await YearAsync(provider);
        await using var archived = await YearAsync(provider);
        Assert.Equal(0, (await ArchiveAsync(archived)).Left);
        object?[] late = Settlement("S9", 1, new DateOnly(2025, 3, 10), 10000, 7000, "I10");

        var expected = await LateClaimAsync(live, late);
        var found = await LateClaimAsync(archived, late);

        Assert.Equal(expected, found);
        Assert.Equal("SECOND_REIMBURSE:2400.00 DEDUCTIBLE_AID:0.00", found);
        await using var db = archived.NewContext();
        var member = await db.Members.SingleAsync(m => m.Name == "职工1", Ct);
        var same = await SameEvent.OfAsync(db, new EventSpan(member.Id, EventKinds.Hospitalization, new DateOnly(2024, 6, 5), new DateOnly(2024, 6, 10)), Ct);
        Assert.Equal(new DateOnly(2024, 6, 10), Assert.Single(same).Span.End);
    }

    /// <summary>The settlement imported after the year was closed; its claim's lines.</summary>
    private static async Task<string> LateClaimAsync(TestDatabase database, object?[] settlement)
    {
        await using var db = database.NewContext();
        var report = await new SettlementFeed(db, Later).HandleAsync(RosterFiles.Write("csv", SettlementHeader, [settlement]), Ct);
        Assert.Empty(report.Import.Rejected);
        var claim = await db.Claims.Include(c => c.Lines).SingleAsync(c => db.Settlements.Any(s => s.Id == c.SettlementId && s.SetlId == "S9"), Ct);
        return string.Join(" ", claim.Lines.OrderBy(l => l.Id).Select(l => $"{l.BenefitCode}:{l.Amount}"));
    }
}
