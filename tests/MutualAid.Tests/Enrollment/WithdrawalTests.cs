using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Enrollment;
using MutualAid.Tests.Claims;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

/// <summary>退保/减员: withdrawal ends cover on its day and keeps what came before it.</summary>
public sealed class WithdrawalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Withdraw_EndsCoverOnItsDay_AndAStayBeforeItIsStillPaid(string provider)
    {
        await using var database = await ClaimSeed.PaidCityAsync(provider);
        await using (var db = database.NewContext())
            await new EnrollmentCommands(db).WithdrawAsync(Seed.Worker(1), "INPATIENT", Seed.Start, new DateOnly(2024, 9, 30), TestActors.Tester, Ct);

        await ClaimSeed.ImportAsync(database,
        [
            ClaimSeed.Settlement("W-BEFORE", 1, new DateOnly(2024, 9, 10), 20000, 12000, "K35.800"),
            ClaimSeed.Settlement("W-AFTER", 1, new DateOnly(2024, 10, 20), 20000, 12000, "K35.800"),
        ]);

        await using var check = database.NewContext();
        var claims = await check.Claims.AsNoTracking()
            .Join(check.Settlements, c => c.SettlementId, s => s.Id, (c, s) => new { s.SetlId, c.Total })
            .ToDictionaryAsync(x => x.SetlId, x => x.Total, Ct);
        Assert.True(claims["W-BEFORE"].Fen > 0);
        Assert.True(claims["W-AFTER"].IsZero);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Transfer_IsRenewedByTheNewUnit_WithoutABreak(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        var unitB = TestIds.Unit(2);
        await using (var db = database.NewContext())
        {
            await new MutualAid.Units.UnitCommands(db).SaveAsync(new MutualAid.Units.UnitInput(unitB, "乙公司", "330203", "民企", 1, 0), Ct);
            var own = TestIds.Person(77, new DateOnly(1985, 2, 2), MutualAid.Common.Gender.Male);
            var file = Importing.RosterFiles.Write("csv", Seed.RosterHeader, [[1, "乙职工", own, null]]);
            Assert.True((await new MutualAid.Importing.ImportRoster(db, TimeProvider.System).HandleAsync(file, new MutualAid.Importing.RosterOptions(unitB, null, ["INPATIENT"], Seed.Start), TestActors.Tester, Ct)).Written);
            var memberId = await db.Members.Where(m => m.IdNumber == Seed.Worker(1)).Select(m => m.Id).SingleAsync(Ct);
            var clerk = new MutualAid.Access.UserScope(0, "clerk1", "clerk1", new HashSet<string> { MutualAid.Access.Roles.Clerk }, null, null, null);
            await new MutualAid.Members.TransferMember(db, TimeProvider.System).HandleAsync(clerk, memberId, unitB, "调动", TestActors.As("clerk1"), Ct);
        }

        RenewalReport a, b;
        await using (var db = database.NewContext())
            a = await new EnrollmentCommands(db).RenewUnitAsync(Seed.UnitA, Seed.Start, false, TestActors.Tester, Ct);
        await using (var db = database.NewContext())
            b = await new EnrollmentCommands(db).RenewUnitAsync(unitB, Seed.Start, false, TestActors.Tester, Ct);

        Assert.Equal((4, 2), (a.Renewed, b.Renewed));
        await using var check = database.NewContext();
        var unitBId = await check.Units.Where(u => u.Code == unitB).Select(u => u.Id).SingleAsync(Ct);
        var periods = await check.Enrollments.AsNoTracking().Where(e => check.Members.Any(m => m.Id == e.MemberId && m.IdNumber == Seed.Worker(1))).OrderBy(e => e.Start).ToListAsync(Ct);
        Assert.Equal(2, periods.Count);
        Assert.Equal(periods[0].End.AddDays(1), periods[1].Start);
        Assert.Equal(unitBId, periods[1].UnitId);
    }
}
