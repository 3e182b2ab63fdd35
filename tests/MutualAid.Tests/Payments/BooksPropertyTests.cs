using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>
/// The books' property: after any sequence of premiums, settlements (claims), approvals,
/// rejections, batches, bank returns (paid and failed), refunds (reversals and recoveries), recoveries repaid and
/// corrected bank accounts, every entry balances and every account agrees with the records, and
/// no claim is paid twice. Each seed is one random sequence of 40 steps.
/// </summary>
public sealed class BooksPropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int> Sequences =>
        [.. Enumerable.Range(1, 8).Select(seed => ("sqlite", seed)), ("postgres", 1), ("postgres", 2)];

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task AnySequenceOfEvents_LeavesTheBooksBalancedAndAgreeing(string provider, int seed)
    {
        await using var database = await PaidCityAsync(provider);
        var random = new Random(seed);
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var folder = Directory.CreateTempSubdirectory("mutualaid-books").FullName;
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Id % 2 == 1).ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国银行", $"60000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        var done = new List<string>();
        var settlements = 0;

        for (var step = 0; step < 40; step++)
        {
            clock.Advance(TimeSpan.FromHours(random.Next(1, 30)));
            await using var db = database.NewContext();
            var now = clock.GetUtcNow().UtcDateTime;
            var pending = await db.Claims.Where(c => c.State == ClaimState.PendingReview).Select(c => c.Id).ToListAsync(Ct);
            var action = random.Next(10);
            switch (action)
            {
                case 0:
                    var payer = random.Next(3) switch { 0 => PayerRef.Unit(Seed.UnitA), 1 => PayerRef.Government, _ => PayerRef.Donation };
                    await new PremiumDesk(db, clock).RecordAsync(payer, Seed.Start, Money.FromYuan(random.Next(1, 500)), BeijingTime.Day(now), $"R{seed}-{step}", TestActors.Tester, Ct);
                    done.Add($"premium {payer.Kind}");
                    break;
                case 1 or 2:
                    // A stay of 1,000 to 300,000: the small ones approved by rule, the large ones for review.
                    var total = random.Next(2) == 0 ? random.Next(1_000, 20_000) : random.Next(20_000, 300_000);
                    var row = Settlement($"S{++settlements}", random.Next(1, 6), BeijingTime.Day(now).AddDays(-1), total, total * random.Next(40, 90) / 100, "I10");
                    await ImportWithAsync(db, clock, row);
                    done.Add($"settlement {total}");
                    break;
                case 3 when pending.Count > 0:
                    // Sent twice at the same moment (a double-click): approved and posted once.
                    var approving = await NumberAsync(db, pending[random.Next(pending.Count)]);
                    await TwiceAtOnceAsync(database, other => Review(other, clock).ApproveAsync(approving, TestActors.As("reviewer1"), null, Ct));
                    done.Add("approve twice at once");
                    break;
                case 4 when pending.Count > 0:
                    await Review(db, clock).RejectAsync(await NumberAsync(db, pending[random.Next(pending.Count)]), TestActors.As("reviewer1"), "R02", "不在保障范围", Ct);
                    done.Add("reject");
                    break;
                case 5:
                    var desk = new PaymentDesk(db, clock);
                    if ((await desk.CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch is { } batch)
                    {
                        await desk.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
                        await desk.ExportAsync(batch.Code, folder, Ct);
                        done.Add($"batch {batch.Count}");
                    }
                    break;
                case 6:
                    var waiting = await db.Payments.Where(p => p.State == PaymentState.Pending)
                        .Join(db.PaymentBatches, p => p.BatchId, b => b.Id, (p, b) => new { b.CreatedAt, BatchId = b.Id, p.LineNo }).ToListAsync(Ct);
                    if (waiting.Count == 0)
                        break;
                    var answers = waiting.Select(w => new object?[] { PaymentBatch.CodeOf(w.CreatedAt, w.BatchId), w.LineNo, random.Next(4) == 0 ? "failed" : "success", "户名不符" });
                    var file = RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [.. answers]);
                    // Imported twice at once, then again: one of them takes effect.
                    await TwiceAtOnceAsync(database, other => new PaymentDesk(other, clock).ImportReturnAsync(file, TestActors.Tester, Ct));
                    await new PaymentDesk(db, clock).ImportReturnAsync(file, TestActors.Tester, Ct);
                    done.Add($"return {waiting.Count}");
                    break;
                case 7 when settlements > 0:
                    var setlId = $"S{random.Next(1, settlements + 1)}";
                    var original = await db.Settlements.AsNoTracking().SingleAsync(s => s.SetlId == setlId, Ct);
                    if (original.RefundedBySetlId is not null)
                        break;
                    var name = await db.Members.Where(m => m.Id == original.MemberId).Select(m => m.Name).SingleAsync(Ct);
                    var refund = Settlement($"R{setlId}-{step}", int.Parse(name[2..], System.Globalization.CultureInfo.InvariantCulture),
                        original.DischargeDate, -original.Amounts.TotalCost.Yuan, -original.Amounts.FundPaid.Yuan, "I10");
                    (refund[12], refund[18], refund[19]) = ("0.00", "1", setlId);
                    await ImportWithAsync(db, clock, refund);
                    done.Add($"refund {setlId}");
                    break;
                case 9:
                    var recovered = await db.Recoveries.Where(r => r.State == RecoveryState.Open).OrderBy(r => r.Id).Select(r => r.ClaimId).FirstOrDefaultAsync(Ct);
                    if (recovered != 0)
                    {
                        var number = (await db.Claims.AsNoTracking().SingleAsync(c => c.Id == recovered, Ct)).Number;
                        await new CollectRecovery(db, clock).HandleAsync(number, BeijingTime.Day(now), $"RC{step}", TestActors.Tester, Ct);
                        done.Add($"recovered {number}");
                    }
                    break;
                case 8:
                    var member = await db.Members.Where(m => m.BankAccount == null).OrderBy(m => m.Id).FirstOrDefaultAsync(Ct);
                    if (member is not null)
                    {
                        (member.BankName, member.BankAccount) = ("中国银行", $"60000000{member.Id:D4}");
                        await db.SaveChangesAsync(Ct);
                        done.Add("bank card");
                    }
                    break;
            }
            if (step % 10 == 9)
                await AssertBooksAsync(database, done);
        }
        await AssertBooksAsync(database, done);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The same request twice at once, each on its own connection; the one that loses the race is refused, never applied.</summary>
    private static async Task TwiceAtOnceAsync(TestDatabase database, Func<MutualAid.Data.MutualAidDbContext, Task> act)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var other = database.NewContext();
            try
            {
                await act(other);
                return true;
            }
            catch (InvalidInputException)
            {
                return false;
            }
        }));
        Assert.Contains(true, outcomes);
    }

    private static ReviewClaims Review(MutualAid.Data.MutualAidDbContext db, TimeProvider clock) => new(db, clock);

    private static async Task<string> NumberAsync(MutualAid.Data.MutualAidDbContext db, long id) =>
        (await db.Claims.AsNoTracking().SingleAsync(c => c.Id == id, Ct)).Number;

    private static async Task ImportWithAsync(MutualAid.Data.MutualAidDbContext db, TimeProvider clock, object?[] row)
    {
        // A refund of a claim in a batch at the bank is refused until the bank answers: that is a rejected row, not a failure.
        await new SettlementFeed(db, clock).HandleAsync(RosterFiles.Write("csv", SettlementHeader, [row]), Ct);
    }

    private static async Task AssertBooksAsync(TestDatabase database, List<string> done)
    {
        await using var db = database.NewContext();
        var report = await new LedgerCheck(db).HandleAsync(Ct);
        var steps = string.Join(", ", done);
        Assert.True(report.Ok, $"after {steps}: {string.Join("; ", report.Figures.Where(f => !f.Agrees))} ({report.Unbalanced} unbalanced)");
        var paidTwice = await db.Payments.Where(p => p.State == PaymentState.Paid).GroupBy(p => p.ClaimId).CountAsync(g => g.Count() > 1, Ct);
        Assert.Equal(0, paidTwice);
        Assert.Equal(await db.Claims.CountAsync(c => c.State == ClaimState.Paid, Ct), await db.Payments.CountAsync(p => p.State == PaymentState.Paid, Ct));
    }
}
