using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Premiums;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

public sealed class PremiumDeskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly PayerRef UnitA = PayerRef.Unit(Seed.UnitA);

    private static async Task<PaymentResult> PayAsync(TestDatabase database, decimal yuan, string on, string reference)
    {
        await using var db = database.NewContext();
        return await new PremiumDesk(db).RecordAsync(UnitA, Seed.Start, Money.FromYuan(yuan), DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), reference, TestActors.Tester, Ct);
    }

    private static async Task<List<MutualAid.Enrollment.Enrollment>> EnrollmentsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Enrollments.OrderBy(e => e.Id).ToListAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Notice_ListsEachPlansHeadsAndAmount(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();

        var notice = await new PremiumDesk(db).NoticeAsync(UnitA, Seed.Start, Ct);

        var line = Assert.Single(notice.Lines);
        Assert.Equal(("INPATIENT", 5, 5, 300m), (line.Plan, line.Heads, line.Units, line.Amount));
        Assert.Equal((300m, 0m, 300m, 5), (notice.Total, notice.Paid, notice.Outstanding, notice.PendingEnrollments));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PartialPayment_ActivatesWhatItCovers_AndCoverageStartsByThePaymentDate(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);

        var first = await PayAsync(database, 150, "2024-04-20", "B1");
        var second = await PayAsync(database, 150, "2024-05-10", "B2");

        Assert.Equal((2, 150m), (first.Activated, first.Outstanding));
        Assert.Equal((3, 0m), (second.Activated, second.Outstanding));
        var enrollments = await EnrollmentsAsync(database);
        Assert.All(enrollments, e => Assert.Equal(EnrollmentStatus.Active, e.Status));
        Assert.Equal([Seed.Start, Seed.Start, new DateOnly(2024, 5, 11), new DateOnly(2024, 5, 11), new DateOnly(2024, 5, 11)],
            enrollments.Select(e => e.CoverageStart!.Value));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ThePaymentRecordedTwice_CountsOnce(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await PayAsync(database, 120, "2024-04-20", "B1");

        var again = await PayAsync(database, 120, "2024-04-20", "B1");

        Assert.True(again.AlreadyRecorded);
        Assert.Equal(120m, again.Paid);
        Assert.Equal(2, (await EnrollmentsAsync(database)).Count(e => e.Status == EnrollmentStatus.Active));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AReferenceUsedForAnotherPayment_IsRefused(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await PayAsync(database, 120, "2024-04-20", "B1");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PayAsync(database, 180, "2024-04-21", "B1"));

        Assert.Contains("已用于另一笔缴费", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SharedPremium_CoversOnlyWhenEveryPayerHasPaid(string provider)
    {
        await using var database = await Seed.CityAsync(provider, headcount: 1, women: 1);
        await using (var db = database.NewContext())
        {
            var file = MutualAid.Tests.Importing.RosterFiles.Write("csv", Seed.RosterHeader, Seed.Workers(1));
            await new MutualAid.Importing.ImportRoster(db, TimeProvider.System).HandleAsync(file,
                new MutualAid.Importing.RosterOptions(Seed.UnitA, null, ["INPATIENT"], Seed.Start, Split: FundingSplit.Parse("单位=60,政府=40")), TestActors.Tester, Ct);
        }

        var unitPaid = await PayAsync(database, 36, "2024-04-01", "U1");
        PaymentNotice governmentBefore;
        await using (var db = database.NewContext())
            governmentBefore = await new PremiumDesk(db).NoticeAsync(PayerRef.Government, Seed.Start, Ct);
        PaymentResult governmentPaid;
        await using (var db = database.NewContext())
            governmentPaid = await new PremiumDesk(db).RecordAsync(PayerRef.Government, Seed.Start, Money.FromYuan(24), new DateOnly(2024, 5, 20), "G1", TestActors.Tester, Ct);

        Assert.Equal((0, 0m), (unitPaid.Activated, unitPaid.Outstanding));
        Assert.Equal(24m, governmentBefore.Outstanding);
        Assert.Equal(1, governmentPaid.Activated);
        var enrollment = Assert.Single(await EnrollmentsAsync(database));
        Assert.Equal(new DateOnly(2024, 5, 21), enrollment.CoverageStart);
    }

    [Fact]
    public async Task ZeroPayment_IsRefused()
    {
        await using var database = await Seed.CityAsync("sqlite");

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => PayAsync(database, 0, "2024-04-20", "B1"));

        Assert.Equal("金额", Assert.Single(error.Problems).Path);
    }

    [Fact]
    public void MarkPaid_Twice_Throws()
    {
        var enrollment = new MutualAid.Enrollment.Enrollment(1, 1, "P", new DateRange(Seed.Start, Seed.Start.AddYears(1).AddDays(-1)), 1, null,
            Money.FromYuan(60), new FundingShares(Money.FromYuan(60), Money.Zero, Money.Zero, Money.Zero, Money.Zero), false);
        enrollment.MarkPaid(Seed.Start);

        Assert.Throws<InvalidOperationException>(() => enrollment.MarkPaid(Seed.Start));
    }
}
