using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Tests.Data;
using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>
/// The premiums received, the payments, the batches and the SMS outbox as lists: filter, order, paging
/// and the user's scope all run in the database, on both providers.
/// </summary>
public sealed class OfficeListsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static readonly UserScope City = new(1, "finance", "财务", new HashSet<string>([Roles.Finance]), null, null, null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Premiums_AreFilteredSortedAndPaged_InTheDatabase_WithinTheScope(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            db.PremiumPayments.AddRange(Enumerable.Range(1, 24).Select(i =>
                new PremiumPayment(Payer.Union, null, null, Seed.Start, Money.FromYuan(100 * i), new DateOnly(2024, 4, 2).AddDays(i), $"GH2024{i:D4}")));
            await db.SaveChangesAsync(Ct);
        }
        await using var check = database.NewContext();
        var unitPayment = await check.PremiumPayments.SingleAsync(p => p.Payer == Payer.Unit, Ct);

        var pages = new List<long>();
        for (var page = 1; page <= 2; page++)
            pages.AddRange((await PremiumList.Sorting.PageAsync(PremiumList.Query(check, City, new()), new PageRequest(page, 20, "amount", true), Ct)).Rows.Select(r => r.Id));
        var byAmount = await PremiumList.Sorting.PageAsync(PremiumList.Query(check, City, new()), new PageRequest(1, 20, "amount", false), Ct);
        var ofUnit = await PremiumList.Query(check, City, new(Unit: "甲公司")).ToListAsync(Ct);
        var byCode = await PremiumList.Query(check, City, new(Search: Seed.UnitA[..8], Payer: Payer.Unit, District: "330203")).CountAsync(Ct);
        var byReference = await PremiumList.Query(check, City, new(Search: "GH20240012")).Select(r => r.Reference).ToListAsync(Ct);
        var byReceipt = await PremiumList.Query(check, City, new(Search: unitPayment.ReceiptNumber)).Select(r => r.Id).ToListAsync(Ct);
        var inRange = await PremiumList.Query(check, City, new(Payer: Payer.Union, From: new DateOnly(2024, 4, 10), To: new DateOnly(2024, 4, 12),
            Min: Money.FromYuan(800), Max: Money.FromYuan(900))).Select(r => r.Amount).ToListAsync(Ct);
        var ofPeriod = await PremiumList.Query(check, City, new(PeriodStart: Seed.Start.AddYears(1))).CountAsync(Ct);
        var district = await check.Districts.Where(d => d.Code == "330203").Select(d => d.Id).SingleAsync(Ct);
        var inDistrict = await PremiumList.Query(check, City with { DistrictId = district }, new()).Select(r => r.Id).ToListAsync(Ct);
        var otherDistrict = await PremiumList.Query(check, City with { DistrictId = -1 }, new()).CountAsync(Ct);

        Assert.Equal(25, pages.Distinct().Count());
        Assert.Equal(25, byAmount.Total);
        Assert.Equal(byAmount.Rows.Select(r => r.Amount).Order(), byAmount.Rows.Select(r => r.Amount));
        Assert.Equal((Payer.Unit, "甲公司", "海曙区"), (Assert.Single(ofUnit).Payer, ofUnit[0].Unit, ofUnit[0].District));
        Assert.Equal(1, byCode);
        Assert.Equal(["GH20240012"], byReference);
        Assert.Equal([unitPayment.Id], byReceipt);
        Assert.Equal([Money.FromYuan(800), Money.FromYuan(900)], inRange.Order());
        Assert.Equal(0, ofPeriod);
        Assert.Equal([unitPayment.Id], inDistrict);
        Assert.Equal(0, otherDistrict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PaymentsAndBatches_AreFilteredSortedAndPaged_InTheDatabase_WithinTheScope(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Name != "职工3").ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database,
            [.. Enumerable.Range(1, 5).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000 + 100 * w, 7000, "I10"))]);
        string code;
        await using (var db = database.NewContext())
            code = (await new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!.Code;
        await using var check = database.NewContext();
        var worker2 = await check.Members.SingleAsync(m => m.Name == "职工2", Ct);
        var claim4 = await check.Claims.SingleAsync(c => c.MemberId == check.Members.Single(m => m.Name == "职工4").Id, Ct);

        var all = await PaymentList.Query(check, City, new()).ToListAsync(Ct);
        var lines = await PaymentList.Lines.PageAsync(PaymentList.Query(check, City, new(Batch: code)), new PageRequest(2, 20), Ct);
        var byMember = await PaymentList.Sorting.PageAsync(PaymentList.Query(check, City, new()), new PageRequest(1, 20, "member", true), Ct);
        var byName = await PaymentList.Query(check, City, new(Search: "职工2")).Select(r => r.MemberId).ToListAsync(Ct);
        var byIdPart = await PaymentList.Query(check, City, new(Search: worker2.IdNumber[^8..])).Select(r => r.MemberId).ToListAsync(Ct);
        var byClaim = await PaymentList.Query(check, City, new(Search: claim4.Number)).Select(r => r.ClaimNumber).ToListAsync(Ct);
        var atLeast = await PaymentList.Query(check, City, new(Min: all.Min(r => r.Amount) + Money.FromYuan(1), State: PaymentState.Pending, District: "330203")).CountAsync(Ct);
        var madeThatDay = await PaymentList.Query(check, City, new(From: new DateOnly(2024, 7, 1), To: new DateOnly(2024, 7, 1))).CountAsync(Ct);
        var dayAfter = await PaymentList.Query(check, City, new(From: new DateOnly(2024, 7, 2))).CountAsync(Ct);
        var paid = await PaymentList.Query(check, City, new(State: PaymentState.Paid)).CountAsync(Ct);
        var otherBatch = await PaymentList.Query(check, City, new(Batch: "P20240701999999")).CountAsync(Ct);
        var otherUnit = await PaymentList.Query(check, City with { UnitId = -1 }, new()).CountAsync(Ct);
        var batch = Assert.Single(await PaymentList.BatchQuery(check, new(State: BatchState.Draft)).ToListAsync(Ct));
        var noneSent = await PaymentList.BatchQuery(check, new(State: BatchState.Exported)).CountAsync(Ct);

        Assert.Equal(4, all.Count);
        Assert.Equal((4, 1), (lines.Total, lines.Request.Number));
        Assert.Equal([1, 2, 3, 4], lines.Rows.Select(r => r.LineNo));
        Assert.All(lines.Rows, r => Assert.Equal(code, r.BatchCode));
        Assert.Equal(["职工5", "职工4", "职工2", "职工1"], byMember.Rows.Select(r => r.PayeeName));
        Assert.Equal([worker2.Id], byName);
        Assert.Equal([worker2.Id], byIdPart);
        Assert.Equal([claim4.Number], byClaim);
        Assert.Equal(3, atLeast);
        Assert.Equal(4, madeThatDay);
        Assert.Equal(0, dayAfter);
        Assert.Equal(0, paid);
        Assert.Equal(0, otherBatch);
        Assert.Equal(0, otherUnit);
        Assert.Equal((code, 4, 0, 0), (batch.Code, batch.Count, batch.Paid, batch.Failed));
        Assert.Equal(all.Aggregate(Money.Zero, (sum, r) => sum + r.Amount), batch.Total);
        Assert.Equal(0, noneSent);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheSmsOutbox_IsFilteredByStateTopicDayAndMobile_InTheDatabase_WithinTheScope(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        var at = new DateTime(2024, 6, 1, 20, 0, 0, DateTimeKind.Utc); // 2 June in Beijing
        long sent, failed, gaveUp;
        await using (var db = database.NewContext())
        {
            var members = await db.Members.OrderBy(m => m.Id).ToListAsync(Ct);
            db.Notices.AddRange(members.Select((m, i) => new Notice(m.Id, $"1390000000{i}", i % 2 == 0 ? NoticeTopic.ClaimApproved : NoticeTopic.ClaimPaid, null, $"{m.Name}您好，第 {i} 条", at.AddDays(i))));
            await db.SaveChangesAsync(Ct);
            var written = await db.Notices.OrderBy(n => n.Id).Select(n => n.Id).ToListAsync(Ct);
            (sent, failed, gaveUp) = (written[0], written[1], written[2]);
            await db.Notices.Where(n => n.Id == sent).ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, at).SetProperty(n => n.Attempts, 1), Ct);
            await db.Notices.Where(n => n.Id == failed).ExecuteUpdateAsync(s => s.SetProperty(n => n.LastError, "网关超时").SetProperty(n => n.Attempts, 2), Ct);
            await db.Notices.Where(n => n.Id == gaveUp).ExecuteUpdateAsync(s => s.SetProperty(n => n.LastError, "空号").SetProperty(n => n.GaveUpAt, at).SetProperty(n => n.Attempts, 8), Ct);
        }
        await using var check = database.NewContext();

        var ids = async (NoticeFilter filter) => await NoticeList.Query(check, City, filter).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(Ct);
        var byAttempts = await NoticeList.Sorting.PageAsync(NoticeList.Query(check, City, new()), new PageRequest(1, 20, "attempts", true), Ct);

        Assert.Equal([sent], await ids(new(State: NoticeState.Sent)));
        Assert.Equal([failed, gaveUp], await ids(new(State: NoticeState.Failed)));
        Assert.Equal([gaveUp], await ids(new(State: NoticeState.GaveUp)));
        Assert.Equal(2, (await ids(new(State: NoticeState.Pending))).Count);
        Assert.Equal(3, (await ids(new(Topic: NoticeTopic.ClaimApproved))).Count);
        Assert.Equal([failed], await ids(new(Search: "13900000001")));
        Assert.Equal([gaveUp], await ids(new(Search: "职工3")));
        Assert.Equal([sent, failed], await ids(new(From: new DateOnly(2024, 6, 2), To: new DateOnly(2024, 6, 3))));
        Assert.Equal(5, byAttempts.Total);
        Assert.Equal([8, 2, 1, 0, 0], byAttempts.Rows.Select(r => r.Attempts));
        Assert.Equal(NoticeState.GaveUp, byAttempts.Rows[0].State);
        Assert.Empty(await NoticeList.Query(check, City with { UnitId = -1 }, new()).ToListAsync(Ct));
    }
}
