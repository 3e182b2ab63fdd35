using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Ledger;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>
/// Every state change sent several times at the same moment (a double-click, two clerks, a retried
/// job) takes effect once: one transition, one entry in the books, one SMS, one audit line; the
/// others are told who was first, and the books still balance.
/// </summary>
public sealed class ExactlyOnceTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task AssertBooksBalanceAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var books = await new LedgerCheck(db).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
    }

    private static async Task<int> EntriesAsync(TestDatabase database, EntryKind kind)
    {
        await using var db = database.NewContext();
        return await db.JournalEntries.CountAsync(e => e.Kind == kind, Ct);
    }

    /// <summary>One claim of 22,300 waiting for review (above the 10,000 the scheme approves by rule).</summary>
    private static async Task<(TestDatabase Database, string Number)> PendingClaimAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 300000, 100000, "I10")]);
        await using var db = database.NewContext();
        return (database, (await db.Claims.SingleAsync(Ct)).Number);
    }

    /// <summary>Two approved claims of 2,600 of members with bank cards, in a batch approved by a second person.</summary>
    private static async Task<(TestDatabase Database, string Batch)> ApprovedBatchAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [.. Enumerable.Range(1, 2).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000, 7000, "I10"))]);
        await using var desk = database.NewContext();
        var batch = (await new PaymentDesk(desk, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!;
        await new PaymentDesk(desk, Clock).ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
        return (database, batch.Code);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Approve_SentFourTimesAtOnce_TakesEffectOnce(string provider)
    {
        var (database, number) = await PendingClaimAsync(provider);
        await using var _ = database;

        var (done, refused) = await database.AtOnceAsync(4, (db, _) => new ReviewClaims(db, Clock).ApproveAsync(number, TestActors.As("reviewer1"), null, Ct));

        Assert.Equal(1, done);
        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Contains("已由", Assert.Single(e.Problems).Message));
        await using var db = database.NewContext();
        var claim = await db.Claims.SingleAsync(Ct);
        Assert.Equal(ClaimState.Approved, claim.State);
        Assert.Single(claim.Transitions, t => t.To == ClaimState.Approved);
        Assert.Equal(1, await EntriesAsync(database, EntryKind.ClaimsApproved));
        Assert.Equal(1, await db.Notices.CountAsync(n => n.Topic == NoticeTopic.ClaimApproved, Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "复核通过" && a.Subject == number, Ct));
        await AssertBooksBalanceAsync(database);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ApproveAndReject_AtTheSameMoment_OneWins_AndARejectedClaimPostsNoExpense(string provider)
    {
        var (database, number) = await PendingClaimAsync(provider);
        await using var _ = database;

        var (done, refused) = await database.AtOnceAsync(2, (db, i) => i == 0
            ? new ReviewClaims(db, Clock).ApproveAsync(number, TestActors.As("reviewer1"), null, Ct)
            : new ReviewClaims(db, Clock).RejectAsync(number, TestActors.As("reviewer2"), "R02", "不在保障范围", Ct));

        Assert.Equal((1, 1), (done, refused.Count));
        await using var db = database.NewContext();
        var claim = await db.Claims.SingleAsync(Ct);
        Assert.Equal(2, claim.History.Count);
        Assert.Equal(claim.State == ClaimState.Approved ? 1 : 0, await EntriesAsync(database, EntryKind.ClaimsApproved));
        await AssertBooksBalanceAsync(database);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ABatch_ApprovedTwiceAtOnce_IsApprovedOnce(string provider)
    {
        var (database, _) = await PendingClaimAsync(provider);
        await using var __ = database;
        await using (var db = database.NewContext())
        {
            await new ReviewClaims(db, Clock).ApproveAsync((await db.Claims.SingleAsync(Ct)).Number, TestActors.As("reviewer1"), null, Ct);
            foreach (var member in await db.Members.ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        string code;
        await using (var db = database.NewContext())
            code = (await new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!.Code;

        var (done, refused) = await database.AtOnceAsync(3, (db, i) => new PaymentDesk(db, Clock).ApproveAsync(code, TestActors.As($"finance{i + 2}"), Ct));

        Assert.Equal((1, 2), (done, refused.Count));
        await using var check = database.NewContext();
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "审批发放批次", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ABatch_SentThreeTimesAtOnce_IsPostedOnce_AndEveryoneGetsTheSameFile(string provider)
    {
        var (database, code) = await ApprovedBatchAsync(provider);
        await using var _ = database;
        var files = new System.Collections.Concurrent.ConcurrentBag<byte[]>();

        var (done, refused) = await database.AtOnceAsync(3, async (db, _) => files.Add((await new PaymentDesk(db, Clock).SendAsync(code, TestActors.As("finance1"), Ct)).Content));

        Assert.Equal(3, done + refused.Count);
        Assert.InRange(done, 1, 3);
        Assert.Equal(1, await EntriesAsync(database, EntryKind.PaymentsSent));
        Assert.Single(files.Select(Convert.ToBase64String).Distinct());
        await using (var db = database.NewContext())
        {
            Assert.Equal(BatchState.Exported, (await db.PaymentBatches.SingleAsync(Ct)).State);
            var again = await new PaymentDesk(db, Clock).SendAsync(code, TestActors.As("finance1"), Ct);
            Assert.Equal(files.First(), again.Content);
            // Sent once; every copy handed out again (it holds whole ID numbers and accounts) is its own audit line.
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "送银行" && a.Subject == code, Ct));
            Assert.Equal(done, await db.AuditEntries.CountAsync(a => a.Action == "再次导出银行文件" && a.Subject == code, Ct));
        }
        Assert.Equal(1, await EntriesAsync(database, EntryKind.PaymentsSent));
        await AssertBooksBalanceAsync(database);
    }

    [Fact]
    public async Task TheBankFile_ReadBeforeTheBatchIsSent_IsRefused_AndChangesNothing()
    {
        var (database, code) = await ApprovedBatchAsync("sqlite");
        await using var _ = database;
        await using var db = database.NewContext();

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new PaymentDesk(db, Clock).FileAsync(code, TestActors.As("finance1"), Ct));

        Assert.Contains("尚未送银行", Assert.Single(refused.Problems).Message);
        Assert.Equal(BatchState.Approved, (await db.PaymentBatches.AsNoTracking().SingleAsync(Ct)).State);
        Assert.Equal(0, await EntriesAsync(database, EntryKind.PaymentsSent));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheBanksReturn_ImportedThreeTimesAtOnce_PaysEachClaimOnce(string provider)
    {
        var (database, code) = await ApprovedBatchAsync(provider);
        await using var _ = database;
        await using (var db = database.NewContext())
            await new PaymentDesk(db, Clock).SendAsync(code, TestActors.As("finance1"), Ct);
        var file = RosterFiles.Write("csv", ["batch_id", "line_no", "status"], [[code, 1, "success"], [code, 2, "success"]]);

        var (done, refused) = await database.AtOnceAsync(3, (db, _) => new PaymentDesk(db, Clock).ImportReturnAsync(file, TestActors.As("finance1"), Ct));

        Assert.Equal(3, done + refused.Count);
        await using var check = database.NewContext();
        var claims = await check.Claims.ToListAsync(Ct);
        Assert.All(claims, c => Assert.Equal(ClaimState.Paid, c.State));
        Assert.All(claims, c => Assert.Single(c.Transitions, t => t.To == ClaimState.Paid));
        Assert.Equal(2, await check.Notices.CountAsync(n => n.Topic == NoticeTopic.ClaimPaid, Ct));
        Assert.Equal(1, await EntriesAsync(database, EntryKind.PaymentsReturned));
        await AssertBooksBalanceAsync(database);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task APremium_RecordedTwiceAtOnce_IsReceivedOnce(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var start = new DateOnly(2024, 1, 1);

        var (done, refused) = await database.AtOnceAsync(3, (db, _) =>
            new PremiumDesk(db, Clock).RecordAsync(PayerRef.Union, start, Money.FromYuan(10), start, "UNION-GIFT-1", TestActors.As("finance1"), Ct));

        Assert.Equal(3, done + refused.Count);
        Assert.All(refused, e => Assert.Contains("UNION-GIFT-1", e.Message, StringComparison.Ordinal));
        await using var db = database.NewContext();
        Assert.Equal(1, await db.PremiumPayments.CountAsync(p => p.Reference == "UNION-GIFT-1", Ct));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "登记会费到账" && a.Subject == "UNION-GIFT-1", Ct));
        await AssertBooksBalanceAsync(database);
    }
}
