using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Ledger;
using MutualAid.Members;
using MutualAid.Premiums;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

/// <summary>Retirees and new-form workers registering, enrolling and paying online through the gateway stub.</summary>
public sealed class OnlinePremiumsTests
{
    private static readonly StubPaymentGateway Gateway = new("test-key"u8.ToArray());
    private static readonly string Retiree = TestIds.Person(71, new DateOnly(1958, 2, 3), Gender.Female);
    private static readonly string Rider = TestIds.Person(72, new DateOnly(1995, 7, 9), Gender.Male);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>10:00 in Ningbo on 2024-06-10.</summary>
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2024, 6, 10, 2, 0, 0, TimeSpan.Zero));

    private static async Task<long> RegisterAsync(TestDatabase database, string idNumber, MemberType type, string phone = "13900000071")
    {
        await using var db = database.NewContext();
        var user = await TestSms.RegisterAsync(db, new Registration(idNumber, "自助会员", phone, type, "中国工商银行", "6222020000000071", null), "Retire2024", TimeProvider.System, Ct);
        return user.MemberId!.Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Retiree_RegistersEnrolsAndPaysOnline_IsCoveredAndTheBooksHaveIt(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        var clock = Clock();
        var member = await RegisterAsync(database, Retiree, MemberType.Retired);
        await using var db = database.NewContext();
        var online = new OnlinePremiums(db, clock);

        var offers = await online.OffersAsync(member, Ct);
        var enrollment = await online.EnrolAsync(member, "RETIREE", TestActors.Tester, Ct);
        var order = await online.OrderAsync(member, enrollment.Start, Ct);
        var again = await online.OrderAsync(member, enrollment.Start, Ct);
        var paid = await online.ConfirmAsync(Gateway.Verify(Gateway.Notify(new GatewayPayment(order.Number, order.Amount, "T1", clock.GetUtcNow().UtcDateTime)))!, TestActors.Tester, Ct);

        Assert.Equal(["RETIREE"], offers.Select(o => o.Plan));
        Assert.Equal((new DateOnly(2024, 7, 1), new DateOnly(2025, 6, 30), 130m), (offers[0].Period.Start, offers[0].Period.End, offers[0].Premium.Yuan));
        Assert.Equal(order.Id, again.Id);
        Assert.Equal((130m, OrderState.Paid, "T1"), (order.Amount.Yuan, paid.State, paid.Transaction));
        await using var check = database.NewContext();
        var stored = await check.Enrollments.SingleAsync(e => e.MemberId == member, Ct);
        Assert.Equal((EnrollmentStatus.Active, new DateOnly(2024, 7, 1)), (stored.Status, stored.CoverageStart));
        Assert.Equal(["网关T1"], await check.PremiumPayments.Where(p => p.MemberId == member).Select(p => p.Reference).ToListAsync(Ct));
        Assert.Empty(await online.OwedAsync(member, Ct));
        Assert.Equal(130m, (await new LedgerCheck(check).BalanceAsync(Accounts.Bank, Ct)).Yuan);
        var sms = await check.Notices.SingleAsync(Ct);
        Assert.Equal(("13900000071", "【职工互助保障】自助会员您好，已收到您缴纳的会费 130.00 元，保障自 2024-07-01 起。"), (sms.Phone, sms.Text));
    }

    [Fact]
    public async Task Notification_RepeatedOrAfterACrash_RecordsOnePayment()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var clock = Clock();
        var member = await RegisterAsync(database, Retiree, MemberType.Retired);
        PremiumOrder order;
        await using (var db = database.NewContext())
        {
            var online = new OnlinePremiums(db, clock);
            order = await online.OrderAsync(member, (await online.EnrolAsync(member, "RETIREE", TestActors.Tester, Ct)).Start, Ct);
        }
        var payment = new GatewayPayment(order.Number, order.Amount, "T9", clock.GetUtcNow().UtcDateTime);
        await using (var db = database.NewContext())
        {
            // The payment recorded, then the process dies before the order is marked paid.
            var idNumber = await db.Members.Where(m => m.Id == member).Select(m => m.IdNumber).SingleAsync(Ct);
            await new PremiumDesk(db, clock).RecordAsync(PayerRef.Member(idNumber), order.PeriodStart, order.Amount, new DateOnly(2024, 6, 10), "网关T9", TestActors.Tester, Ct);
        }

        for (var i = 0; i < 2; i++)
        {
            await using var db = database.NewContext();
            await new OnlinePremiums(db, clock).ConfirmAsync(payment, TestActors.Tester, Ct);
        }

        await using var check = database.NewContext();
        Assert.Equal(1, await check.PremiumPayments.CountAsync(p => p.MemberId == member, Ct));
        Assert.Equal(OrderState.Paid, (await check.PremiumOrders.SingleAsync(Ct)).State);
        Assert.Equal(1, await check.Notices.CountAsync(n => n.Topic == MutualAid.Notifications.NoticeTopic.PremiumPaid, Ct));
    }

    [Fact]
    public async Task Notification_ForgedOrAltered_DoesNotVerify()
    {
        var fields = Gateway.Notify(new GatewayPayment("MA1", Money.FromYuan(130), "T1", new DateTime(2024, 6, 10, 2, 0, 0, DateTimeKind.Utc)));
        var altered = new Dictionary<string, string>(fields) { ["amount_fen"] = "1" };
        var otherKey = new StubPaymentGateway("another-key"u8.ToArray()).Notify(new GatewayPayment("MA1", Money.FromYuan(130), "T1", DateTime.UtcNow));

        Assert.NotNull(Gateway.Verify(fields));
        Assert.Null(Gateway.Verify(altered));
        Assert.Null(Gateway.Verify(otherKey));
        Assert.Null(Gateway.Verify(new Dictionary<string, string> { ["order"] = "MA1" }));
    }

    [Fact]
    public async Task Notification_WithAnotherAmount_IsRefusedAndNothingIsRecorded()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var clock = Clock();
        var member = await RegisterAsync(database, Retiree, MemberType.Retired);
        await using var db = database.NewContext();
        var online = new OnlinePremiums(db, clock);
        var order = await online.OrderAsync(member, (await online.EnrolAsync(member, "RETIREE", TestActors.Tester, Ct)).Start, Ct);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => online.ConfirmAsync(new GatewayPayment(order.Number, Money.FromYuan(1), "T2", DateTime.UtcNow), TestActors.Tester, Ct));

        Assert.Equal("金额", e.Problems[0].Path);
        Assert.False(await db.PremiumPayments.AnyAsync(Ct));
    }

    [Fact]
    public async Task NewFormWorker_IsOfferedTheWorkersPlans_AndAUnitsWorkerNothing()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await Seed.RosterAsync(database);
        var rider = await RegisterAsync(database, Rider, MemberType.Flexible, "13900000072");
        await using var db = database.NewContext();
        var worker = await db.Members.Where(m => m.UnitId != null).Select(m => m.Id).FirstAsync(Ct);
        var online = new OnlinePremiums(db, Clock());

        Assert.Equal(["INPATIENT", "CRITICAL"], (await online.OffersAsync(rider, Ct)).Select(o => o.Plan));
        Assert.Empty(await online.OffersAsync(worker, Ct));
    }

    [Fact]
    public async Task Renewal_IsOfferedFromTheDayAfterTheEnd_OnlyInTheLast90Days()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var member = await RegisterAsync(database, Retiree, MemberType.Retired);
        await using (var db = database.NewContext())
            await new OnlinePremiums(db, Clock()).EnrolAsync(member, "RETIREE", TestActors.Tester, Ct);

        await using var check = database.NewContext();
        var early = await new OnlinePremiums(check, Clock()).OffersAsync(member, Ct);
        var late = await new OnlinePremiums(check, new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 2, 0, 0, TimeSpan.Zero))).OffersAsync(member, Ct);

        Assert.Empty(early);
        var renewal = Assert.Single(late);
        Assert.Equal((true, new DateOnly(2025, 7, 1)), (renewal.Renewal, renewal.Period.Start));
    }

    [Fact]
    public async Task Cancel_WhileAnOrderIsOpen_IsRefused_AndAfterItExpires_Withdraws()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var clock = Clock();
        var member = await RegisterAsync(database, Retiree, MemberType.Retired);
        await using var db = database.NewContext();
        var online = new OnlinePremiums(db, clock);
        var enrollment = await online.EnrolAsync(member, "RETIREE", TestActors.Tester, Ct);
        await online.OrderAsync(member, enrollment.Start, Ct);

        await Assert.ThrowsAsync<InvalidInputException>(() => online.CancelAsync(member, enrollment.Id, TestActors.Tester, Ct));
        clock.Advance(TimeSpan.FromMinutes(31));
        await online.CancelAsync(member, enrollment.Id, TestActors.Tester, Ct);

        Assert.Equal(EnrollmentStatus.Withdrawn, (await db.Enrollments.AsNoTracking().SingleAsync(Ct)).Status);
        Assert.Single(await online.OffersAsync(member, Ct));
    }

    [Fact]
    public async Task Register_AsAWorkerInService_IsRefused_AndAMemberOnFileKeepsTheirType()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();

        var user = await TestSms.RegisterAsync(db, new Registration(Seed.Worker(1), "职工1", null, MemberType.Retired, null, null, null), "Worker2024", TimeProvider.System, Ct);
        var inService = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new SelfRegistration(db, UserAdmin.For(db), TimeProvider.System).RegisterAsync(new Registration(Rider, "某", "13900000072", MemberType.InService, null, null, "123456"), "Worker2024", TestActors.Tester, Ct));

        Assert.Equal(MemberType.InService, (await db.Members.AsNoTracking().SingleAsync(m => m.Id == user.MemberId, Ct)).Type);
        Assert.Equal("人员类别", inService.Problems[0].Path);
        Assert.Single(await db.Users.ToListAsync(Ct));
    }
}
