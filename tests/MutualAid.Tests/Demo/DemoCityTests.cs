using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Demo;
using MutualAid.Enrollment;
using MutualAid.Reports;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Demo;

public sealed class DemoCityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Demo_OnADatabaseWithOtherData_RefusesAndChangesNothing(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var before = database.NewContext();
        var members = await before.Members.CountAsync(Ct);

        var refused = await Assert.ThrowsAsync<MutualAid.Benefits.InvalidInputException>(() => new DemoCity(database.Database, TimeProvider.System).RunAsync(Ct));

        Assert.Contains("演示城市以外的数据", refused.Message + string.Join("", refused.Problems.Select(p => p.Message)));
        await using var after = database.NewContext();
        Assert.Equal(members, await after.Members.CountAsync(Ct));
        Assert.False(await after.ServicePoints.AnyAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Demo_BuildsALivingCity_AndASecondRunChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var demo = new DemoCity(database.Database, TimeProvider.System);

        var first = await demo.RunAsync(Ct);
        var second = await demo.RunAsync(Ct);

        Assert.False(first.AlreadyThere);
        Assert.Equal(first with { AlreadyThere = true }, second);
        Assert.Equal(6, first.Districts);
        Assert.InRange(first.Members, 2000, 5000);
        await using var db = database.NewContext();
        var statuses = await db.Enrollments.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, Ct);
        Assert.True(statuses[EnrollmentStatus.Active] > 0 && statuses[EnrollmentStatus.Pending] > 0, "the demo shows paid and unpaid enrollments");
        Assert.True(await db.Enrollments.AnyAsync(e => e.Gifted, Ct));
        Assert.True(await db.Enrollments.AnyAsync(e => e.PlanCode == "RETIREE" && e.UnitId == null, Ct));
        var coverage = await new CoverageReport(db).HandleAsync("INPATIENT", new DateOnly(2026, 6, 1), Ct);
        Assert.Contains(coverage.Districts.SelectMany(d => d.UnitsDetail), u => !u.MeetsTarget);
        Assert.Contains(coverage.Districts.SelectMany(d => d.UnitsDetail), u => u.MeetsTarget);

        // Claims in every state, automatic and manual, with their SMS; paid through the bank, the books agreeing.
        var states = await db.Claims.Select(c => c.State).Distinct().ToListAsync(Ct);
        Assert.Equal(Enum.GetValues<ClaimState>().Except([ClaimState.Submitted]), states.Order());
        Assert.True(await db.Payments.AnyAsync(p => p.State == MutualAid.Payments.PaymentState.Failed, Ct));
        Assert.True(await db.ClosedPeriods.AnyAsync(Ct));
        // A partner hospital's statement, paid to the hospital in the same batch.
        Assert.True(await db.PartnerStatements.AnyAsync(s => s.State == MutualAid.Partners.StatementState.Paid, Ct));
        Assert.True(await db.Payments.AnyAsync(p => p.StatementId != null && p.MemberId == null && p.State == MutualAid.Payments.PaymentState.Paid, Ct));
        var books = await new MutualAid.Ledger.LedgerCheck(db).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
        // The fund's account holds money: what earlier years left (期初余额) carries the payouts beyond the demo's premiums.
        var bank = await new MutualAid.Ledger.LedgerCheck(db).BalanceAsync(MutualAid.Ledger.Accounts.Bank, Ct);
        Assert.True(bank > MutualAid.Common.Money.Zero && bank < DemoCity.OpeningBalance * 2, $"专户余额 {bank.ToDisplayString()} 元");
        Assert.True((await new FundReports(db).ReserveAsync(new DateOnly(2026, 6, 30), Ct)).Reserve > 0);
        // The balances the database sums agree with the lines read one by one, for the city and for a district.
        foreach (var district in new[] { null, "330203" })
        {
            var lines = await MutualAid.Ledger.LedgerLine.Of(db.JournalEntries.Where(e => district == null || e.District == district)).ToListAsync(Ct);
            var summed = await new MutualAid.Ledger.LedgerCheck(db).BalancesAsync(district, Ct);
            Assert.Equal(lines.GroupBy(l => l.Account).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, MutualAid.Common.Money.Sum(g.Select(l => l.Debit - l.Credit)).Yuan)),
                summed.Select(b => (b.Account, b.Balance)));
        }
        Assert.True(await db.Claims.AnyAsync(c => c.Source == ClaimSource.Manual && c.State == ClaimState.PendingReview, Ct));
        Assert.True(await db.Claims.AnyAsync(c => c.Transitions.Any(t => t.From == ClaimState.Rejected), Ct), "a rejection was reopened");
        Assert.NotEmpty(await new ClaimQueries(db).OverdueAsync(null, DateTime.UtcNow, Ct));
        Assert.True(await db.Notices.CountAsync(Ct) > 100);
        Assert.True(first.Settlements > 150 && first.Claims == first.Settlements - 1 + 3 + 1, "a claim for every settlement but the refund, three manual ones and the model worker's");
        // Ningbo's condolence inside the waiting period, paid; a hardship member's second-round relief, paid.
        var condolences = await db.Claims.Where(c => c.State == ClaimState.Paid).SelectMany(c => c.Lines).Where(l => l.BenefitCode == "CONDOLENCE").ToListAsync(Ct);
        Assert.Contains(condolences, l => l.Amount == MutualAid.Common.Money.FromYuan(1000));
        Assert.True(await db.ReliefApplications.AnyAsync(a => a.State == MutualAid.Relief.ReliefState.Paid, Ct));
        // The model worker: recorded, enrolled in the subsidy given by the union (paid), a subsidy claim approved.
        var worker = await db.ModelWorkers.SingleAsync(Ct);
        Assert.True(await db.Enrollments.AnyAsync(e => e.MemberId == worker.MemberId && e.PlanCode == "MW_NATIONAL" && e.Gifted && e.Status == EnrollmentStatus.Active, Ct));
        Assert.True(await db.ClaimLines.AnyAsync(l => l.PlanCode == "MW_NATIONAL" && l.Amount > MutualAid.Common.Money.Zero
            && db.Claims.Any(c => c.Id == l.ClaimId && c.MemberId == worker.MemberId && c.State == ClaimState.Approved), Ct));
    }
}
