using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Ledger;
using MutualAid.Payments;
using MutualAid.Reports;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Reports;

/// <summary>The home page's figures, counted and summed by the database, equal the same figures worked out row by row, and the lists' counts.</summary>
public sealed class OverviewTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly UserScope City = new(1, "finance", "财务", new HashSet<string>([Roles.Finance]), null, null, null);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Figures_AreSummedInTheDatabase_AsRowByRow_AndAsTheListsCountThem(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database,
        [
            Settlement("S1", 1, new DateOnly(2024, 5, 10), 10000, 7000, "I10"),
            Settlement("S2", 2, new DateOnly(2024, 6, 10), 13011, 9000, "I10"),
            Settlement("S3", 3, new DateOnly(2024, 6, 20), 12345.67m, 7000, "I10"),
        ]);
        await using (var db = database.NewContext())
        {
            var desk = new PaymentDesk(db, Clock);
            var batch = (await desk.CreateBatchAsync(TestActors.As("finance1"), 2, Ct)).Batch!;
            await desk.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
            await desk.SendAsync(batch.Code, TestActors.As("finance1"), Ct);
            var file = RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [[batch.Code, 1, "success", null], [batch.Code, 2, "success", null]]);
            await desk.ImportReturnAsync(file, TestActors.As("finance1"), Ct);
        }

        await using var read = database.NewContext();
        var now = new DateTime(2024, 7, 15, 0, 0, 0, DateTimeKind.Utc);
        var overview = await Overview.ForAsync(read, City, now, Ct);
        var claims = await read.Claims.AsNoTracking().ToListAsync(Ct);
        var paid = claims.Where(c => c.State == ClaimState.Paid).ToList();
        var today = DateOnly.FromDateTime(now);
        var bank = (await read.JournalEntries.AsNoTracking().SelectMany(e => e.Lines).Where(l => l.Account == Accounts.Bank).ToListAsync(Ct))
            .Aggregate(Money.Zero, (sum, l) => sum + l.Debit - l.Credit);

        Assert.Equal(2, paid.Count);
        Assert.Equal(Money.Sum(paid.Select(c => c.Total)), overview.Paid);
        Assert.Equal(claims.Count(c => c.State == ClaimState.Approved), overview.Approved);
        Assert.Equal(claims.Count(c => c.State == ClaimState.PendingReview), overview.PendingReview);
        Assert.Equal(await ClaimList.Query(read, City, new(State: ClaimState.Paid), now).CountAsync(Ct), paid.Count);
        var june = overview.ByMonth.Single(m => m.Label == "2024-06");
        var decidedInJune = claims.Where(c => c.EventDate.Month == 6 && c.State is ClaimState.Approved or ClaimState.Paid).ToList();
        Assert.Equal(decidedInJune.Count, june.Claims);
        Assert.Equal(Money.Sum(decidedInJune.Select(c => c.Total)), june.Amount);
        Assert.Equal(12, overview.ByMonth.Count);
        Assert.Equal("2024-07", overview.ByMonth[^1].Label);
        Assert.Equal(await read.Enrollments.CountAsync(e => e.Status == EnrollmentStatus.Active && e.Start <= today && e.End >= today, Ct), overview.ActiveEnrollments);
        Assert.True(overview.ActiveEnrollments > 0);
        Assert.Equal(paid.Average(c => (c.PaidAt!.Value - c.CreatedAt).TotalDays), overview.DaysToPay!.Value, 3);
        Assert.Equal(bank, overview.Bank);

        var elsewhere = await Overview.ForAsync(read, City with { DistrictId = -1 }, now, Ct);
        Assert.Equal((0, 0, Money.Zero, 0, (Money?)null), (elsewhere.Members, elsewhere.Approved, elsewhere.Paid, elsewhere.ActiveEnrollments, elsewhere.Bank));
        Assert.Null(elsewhere.DaysToPay);
    }
}
