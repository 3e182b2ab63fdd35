using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Ledger;
using MutualAid.Premiums;
using Npgsql;

namespace MutualAid.Tests.Data;

/// <summary>
/// A unit of work cut off by a transient fault at its commit (the connection lost, as a failover does):
/// on PostgreSQL it runs again whole and takes effect once; SQLite, embedded, does not retry.
/// </summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The first commit fails as a dropped connection would (an <see cref="NpgsqlException"/> whose cause is a timeout), after every statement of the unit ran.</summary>
    private sealed class FailFirstCommit : DbTransactionInterceptor
    {
        public int Commits;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
            CancellationToken cancellationToken) =>
            Interlocked.Increment(ref Commits) == 1
                ? throw new NpgsqlException("连接中断（测试模拟）", new TimeoutException())
                : ValueTask.FromResult(result);
    }

    private static MutualAidDbContext ContextWith(TestDatabase database, IInterceptor interceptor)
    {
        var builder = new DbContextOptionsBuilder<MutualAidDbContext>();
        database.Database.Configure(builder);
        builder.AddInterceptors(interceptor);
        return new MutualAidDbContext(builder.Options);
    }

    private static Task<PaymentResult> PayAsync(MutualAidDbContext db) =>
        new PremiumDesk(db).RecordAsync(PayerRef.Unit(Seed.UnitA), Seed.Start, Money.FromYuan(150), new DateOnly(2024, 4, 20), "B1", TestActors.Tester, Ct);

    [Fact]
    public async Task AUnitCutOffAtItsCommit_RunsAgainWhole_AndTakesEffectOnce_OnPostgres()
    {
        await using var database = await Seed.CityAsync("postgres");
        await Seed.RosterAsync(database);
        var fault = new FailFirstCommit();

        PaymentResult result;
        await using (var db = ContextWith(database, fault))
            result = await PayAsync(db);

        // The second attempt found nothing of the first (not "already recorded") and did all of it once.
        Assert.Equal(2, fault.Commits);
        Assert.Equal((false, 2, 150m), (result.AlreadyRecorded, result.Activated, result.Paid));
        await using var check = database.NewContext();
        Assert.Equal(1, await check.PremiumPayments.CountAsync(p => p.Reference == "B1", Ct));
        Assert.Equal(1, await check.JournalEntries.CountAsync(e => e.Kind == EntryKind.PremiumReceived, Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "登记会费到账", Ct));
        Assert.Equal(2, await check.Enrollments.CountAsync(e => e.Status == EnrollmentStatus.Active, Ct));
        var books = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
    }

    [Fact]
    public async Task AUnitCutOffAtItsCommit_FailsAndWritesNothing_OnSqlite()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await Seed.RosterAsync(database);
        var fault = new FailFirstCommit();

        await using (var db = ContextWith(database, fault))
            await Assert.ThrowsAsync<NpgsqlException>(() => PayAsync(db));

        Assert.Equal(1, fault.Commits);
        await using var check = database.NewContext();
        Assert.False(await check.PremiumPayments.AnyAsync(Ct));
        Assert.False(await check.AuditEntries.AnyAsync(a => a.Action == "登记会费到账", Ct));
    }
}
