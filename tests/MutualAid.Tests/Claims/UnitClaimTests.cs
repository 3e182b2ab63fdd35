using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Members;
using MutualAid.Notifications;
using MutualAid.Tests.Data;
using MutualAid.Units;

namespace MutualAid.Tests.Claims;

/// <summary>
/// 单位代办: a unit's union officer files a manual claim for a worker of their own unit only (the handler
/// checks, whatever the door), the claim keeps who filed it and the unit, the worker gets the SMS, and a
/// second person reviews it.
/// </summary>
public sealed class UnitClaimTests
{
    private static readonly string UnitB = TestIds.Unit(2, "330203");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 9, 2, 2, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly Discharge = new(2024, 8, 20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Stranger = TestIds.Person(77, new DateOnly(1985, 6, 1), Gender.Male);

    /// <summary>Unit A's workers 1–5 in INPATIENT, paid; unit B with one worker of its own.</summary>
    private static async Task<(TestDatabase Database, UserScope UnitA, UserScope UnitBOfficer)> CityAsync(string provider)
    {
        var database = await ClaimSeed.PaidCityAsync(provider);
        await using var db = database.NewContext();
        await new UnitCommands(db).SaveAsync(new UnitInput(UnitB, "乙公司", "330203", "国企", 3, 1), Ct);
        await new RegisterMember(db).HandleAsync(new MemberInput(Stranger, "乙职工", MemberType.InService, "13900000077", UnitB, null, null, false, false), Ct);
        var units = await db.Units.ToDictionaryAsync(u => u.Code, u => u.Id, Ct);
        return (database, Officer("unita", units[Seed.UnitA]), Officer("unitb", units[UnitB]));
    }

    private static UserScope Officer(string name, long unit) => new(0, name, name, new HashSet<string> { Roles.UnitOfficer }, null, unit, null);

    private static ManualClaimRequest Stay(string id, UserScope by) =>
        new(by.UserName, id, EventKinds.Hospitalization, Discharge,
            new ClaimEvent { AdmissionDate = Discharge.AddDays(-5), DischargeDate = Discharge, Diagnoses = "I10", TotalCost = Money.FromYuan(10000), InsurancePaid = Money.FromYuan(7000) }, [],
            [new("idCard", "身份证.jpg", TestFiles.Jpeg), new("dischargeSummary", "出院小结.pdf", TestFiles.Pdf), new("invoice", "发票.png", TestFiles.Png), new("expenseList", "费用清单.pdf", TestFiles.Pdf)],
            Scope: by);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AUnitsOfficer_FilesForTheirWorker_TheClaimSaysSo_TheWorkerIsTold_AndASecondPersonReviews(string provider)
    {
        var city = await CityAsync(provider);
        await using var database = city.Database;
        var unitA = city.UnitA;

        Claim claim;
        await using (var db = database.NewContext())
            claim = await new ManualClaims(db, Clock).SubmitAsync(Stay(Seed.Worker(1), unitA), TestActors.As("unita"), Ct);
        var self = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new ReviewClaims(db, Clock).ApproveAsync(claim.Number, TestActors.As("unita"), null, Ct);
        });
        await using (var db = database.NewContext())
            await new ReviewClaims(db, Clock).ApproveAsync(claim.Number, TestActors.As("reviewer1"), "材料齐全", Ct);

        await using var check = database.NewContext();
        var stored = await check.Claims.SingleAsync(c => c.Id == claim.Id, Ct);
        Assert.Equal(("unita", unitA.UnitId, ClaimState.Approved), (stored.EnteredBy, stored.ThroughUnitId, stored.State));
        Assert.Contains("复核", Assert.Single(self.Problems).Message);
        Assert.Equal(1, await check.Notices.CountAsync(n => n.ClaimId == claim.Id && n.Topic == NoticeTopic.ClaimSubmitted && n.Phone == "13800000001", Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "单位代办" && a.Subject == claim.Number && a.User == "unita", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AUnitsOfficer_FilingForAnotherUnitsWorker_IsRefused_AndNothingIsWritten(string provider)
    {
        var city = await CityAsync(provider);
        await using var database = city.Database;
        var (unitA, unitB) = (city.UnitA, city.UnitBOfficer);

        var other = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new ManualClaims(db, Clock).SubmitAsync(Stay(Seed.Worker(1), unitB), TestActors.As("unitb"), Ct);
        });
        var alsoOther = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new ManualClaims(db, Clock).SubmitAsync(Stay(Stranger, unitA), TestActors.As("unita"), Ct);
        });
        var finance = await Assert.ThrowsAsync<InvalidInputException>(async () =>
        {
            await using var db = database.NewContext();
            await new ManualClaims(db, Clock).SubmitAsync(Stay(Seed.Worker(1), new UserScope(0, "finance1", "finance1", new HashSet<string> { Roles.Finance }, null, null, null)), TestActors.As("finance1"), Ct);
        });

        Assert.Contains("不是本单位的职工", Assert.Single(other.Problems).Message);
        Assert.Contains("单位经办 unita 只能为本单位职工代办理赔", Assert.Single(alsoOther.Problems).Message);
        Assert.Contains("不能受理理赔", Assert.Single(finance.Problems).Message);
        await using var check = database.NewContext();
        Assert.False(await check.Claims.AnyAsync(Ct));
        Assert.False(await check.Notices.AnyAsync(Ct));
    }
}
