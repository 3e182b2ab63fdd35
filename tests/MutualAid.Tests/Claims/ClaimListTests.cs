using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Members;
using MutualAid.Tests.Data;
using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>The lists' filters, orders and pages run in the database, on both providers, within the user's scope.</summary>
public sealed class ClaimListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly UserScope City = new(1, "clerk", "经办", new HashSet<string>([Roles.Clerk]), null, null, null);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Claims_AreFilteredSortedAndPaged_InTheDatabase(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await ImportAsync(database,
        [
            Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"),
            Settlement("S2", 2, new DateOnly(2024, 7, 10), 30000, 20000, "I10"),
            Settlement("S3", 3, new DateOnly(2024, 8, 10), 50000, 30000, "I10"),
            Settlement("S4", 4, new DateOnly(2024, 9, 10), 8000, 6000, "I10"),
        ]);
        await using var db = database.NewContext();
        var now = DateTime.UtcNow;
        var all = await db.Claims.AsNoTracking().ToListAsync(Ct);
        var worker2 = await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(2), Ct);

        var byAmount = await ClaimList.Sorting.PageAsync(ClaimList.Query(db, City, new(), now), new PageRequest(1, 20, "amount", true), Ct);
        var secondPage = await ClaimList.Sorting.PageAsync(ClaimList.Query(db, City, new(), now), new PageRequest(2, 20, "amount", false), Ct);
        var summer = await ClaimList.Query(db, City, new(From: new DateOnly(2024, 7, 1), To: new DateOnly(2024, 8, 31)), now).Select(r => r.EventDate).ToListAsync(Ct);
        var byIdPart = await ClaimList.Query(db, City, new(Search: worker2.IdNumber[6..10]), now).Select(r => r.MemberId).Distinct().ToListAsync(Ct);
        var byName = await ClaimList.Query(db, City, new(Search: worker2.Name), now).Select(r => r.MemberId).Distinct().ToListAsync(Ct);
        var byNumber = await ClaimList.Query(db, City, new(Search: all[0].Number), now).Select(r => r.Id).ToListAsync(Ct);
        var atLeast = await ClaimList.Query(db, City, new(Min: Money.FromYuan(1000)), now).CountAsync(Ct);
        var inPlan = await ClaimList.Query(db, City, new(Plan: "INPATIENT", Unit: Seed.UnitA, District: "330203"), now).CountAsync(Ct);
        var otherPlan = await ClaimList.Query(db, City, new(Plan: "CRITICAL"), now).CountAsync(Ct);
        var otherDistrict = await ClaimList.Query(db, City with { DistrictId = -1 }, new(), now).CountAsync(Ct);

        Assert.Equal(4, byAmount.Total);
        Assert.Equal(all.Select(c => c.Total).OrderDescending(), byAmount.Rows.Select(r => r.Total));
        Assert.Equal(1, secondPage.Request.Number);
        Assert.Equal([new DateOnly(2024, 7, 10), new DateOnly(2024, 8, 10)], summer.Order());
        Assert.Equal([worker2.Id], byIdPart);
        Assert.Equal([worker2.Id], byName);
        Assert.Equal([all[0].Id], byNumber);
        Assert.Equal(all.Count(c => c.Total >= Money.FromYuan(1000)), atLeast);
        Assert.Equal(4, inPlan);
        Assert.Equal(0, otherPlan);
        Assert.Equal(0, otherDistrict);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Members_AreFoundByPartOfAnIdNumberNameOrMobile_AndPagedWithoutRepeats(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await using var db = database.NewContext();
        var worker3 = await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(3), Ct);
        var today = new DateOnly(2024, 6, 1);

        var pages = new List<long>();
        for (var page = 1; page <= 3; page++)
            pages.AddRange((await MemberList.Sorting.PageAsync(MemberList.Query(db, City, new(), today), new PageRequest(page, 20, "unit"), Ct)).Rows.Select(r => r.Id));
        var byPart = await MemberList.Query(db, City, new(Search: worker3.IdNumber[^6..]), today).Select(r => r.Id).ToListAsync(Ct);
        var inPlan = await MemberList.Query(db, City, new(Plan: "INPATIENT", Type: MutualAid.Benefits.MemberType.InService), today).CountAsync(Ct);
        var ofUnit = await MemberList.Query(db, City with { UnitId = -1 }, new(), today).CountAsync(Ct);

        Assert.Equal(await db.Members.CountAsync(Ct), pages.Distinct().Count());
        Assert.Equal([worker3.Id], byPart);
        Assert.Equal(5, inPlan);
        Assert.Equal(0, ofUnit);
    }
}
