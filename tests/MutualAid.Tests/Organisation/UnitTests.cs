using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Organisation;
using MutualAid.Tests.Data;
using MutualAid.Units;

namespace MutualAid.Tests.Organisation;

/// <summary>登记单位 and 更新单位: by whom, within which district, audited, once.</summary>
public sealed class UnitTests
{
    private const string Other = "91330205000000002W";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The seeded city with a second district, 江北区, and a unit of it.</summary>
    private static async Task<TestDatabase> TwoDistrictsAsync(string provider)
    {
        var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(Other, "乙公司", "330205", "国企", 20, 5), Ct);
        return database;
    }

    private static async Task<UserScope> ClerkOfAsync(MutualAidDbContext db, string district, params string[] roles) =>
        new(0, "clerk1", "经办", new HashSet<string>(roles.Length == 0 ? [Roles.Clerk] : roles), (await db.Districts.SingleAsync(d => d.Code == district, Ct)).Id, null, null);

    private static Task<List<string>> AuditAsync(MutualAidDbContext db) =>
        db.AuditEntries.Where(a => a.Action == "登记单位" || a.Action == "更新单位").OrderBy(a => a.Id).Select(a => a.Action + " " + a.Subject + " " + a.User).ToListAsync(Ct);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AClerk_RegistersAndUpdatesAUnitOfTheDistrict_EachChangeAuditedOnce(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        await using var db = database.NewContext();
        var clerk = await ClerkOfAsync(db, "330203");
        var units = new UnitCommands(db);
        const string code = "913302030000000033";
        var before = (await AuditAsync(db)).Count;

        await units.SaveAsync(new UnitInput(code, "丙公司", "330203", "民企", 30, 10), clerk, TestActors.As("clerk1"), Ct);
        await units.SaveAsync(new UnitInput(code, "丙公司", "330203", "民企", 30, 10), clerk, TestActors.As("clerk1"), Ct);
        await units.SaveAsync(new UnitInput(code, "丙公司", "330203", "民企", 35, 10), clerk, TestActors.As("clerk1"), Ct);

        Assert.Equal([$"登记单位 单位 {code} clerk1", $"更新单位 单位 {code} clerk1"], (await AuditAsync(db)).Skip(before));
        var page = await units.PageAsync(clerk, "丙", new PageRequest(), Ct);
        var unit = Assert.Single(page.Rows);
        Assert.Equal((35, "海曙区", "330203"), (unit.Headcount, unit.District, unit.DistrictCode));
        // The district's clerk lists the district's units only: 甲公司 and 丙公司, not 江北区's 乙公司.
        Assert.Equal(["甲公司", "丙公司"], (await units.PageAsync(clerk, null, new PageRequest(), Ct)).Rows.Select(u => u.Name));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ADistrictsClerk_CannotRegisterChangeOrMoveAUnitOfAnotherDistrict_AndOtherRolesCannotAtAll(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        await using var db = database.NewContext();
        var clerk = await ClerkOfAsync(db, "330203");
        var units = new UnitCommands(db);
        var before = await AuditAsync(db);

        var there = await Assert.ThrowsAsync<InvalidInputException>(() =>
            units.SaveAsync(new UnitInput("913302050000000043", "丁公司", "330205", "民企", 5, 1), clerk, TestActors.As("clerk1"), Ct));
        Assert.Equal("所属区县", Assert.Single(there.Problems).Path);
        // 乙公司 is 江北区's: not changed, and not moved into 海曙区 either.
        var theirs = await Assert.ThrowsAsync<InvalidInputException>(() =>
            units.SaveAsync(new UnitInput(Other, "乙公司（改）", "330203", "国企", 1, 0), clerk, TestActors.As("clerk1"), Ct));
        Assert.Contains("其他区县", Assert.Single(theirs.Problems).Message);
        // Nor moved out of 海曙区 by its clerk.
        var away = await Assert.ThrowsAsync<InvalidInputException>(() =>
            units.SaveAsync(new UnitInput(Seed.UnitA, "甲公司", "330205", "民企", 1, 0), clerk, TestActors.As("clerk1"), Ct));
        Assert.Equal("所属区县", Assert.Single(away.Problems).Path);
        foreach (var role in new[] { Roles.Reviewer, Roles.Finance, Roles.UnitOfficer })
        {
            var refused = await Assert.ThrowsAsync<InvalidInputException>(async () =>
                await units.SaveAsync(new UnitInput(Seed.UnitA, "甲公司", "330203", "民企", 1, 0), await ClerkOfAsync(db, "330203", role), TestActors.As("someone"), Ct));
            Assert.Contains("只有系统管理员和经办", Assert.Single(refused.Problems).Message);
        }

        db.ChangeTracker.Clear();
        Assert.Equal(before, await AuditAsync(db));
        Assert.Equal("乙公司 330205", await db.Units.Where(u => u.Code == Other).Join(db.Districts, u => u.DistrictId, d => d.Id, (u, d) => u.Name + " " + d.Code).SingleAsync(Ct));
        Assert.Equal(2, await db.Units.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheSameUnitRegisteredTwiceAtOnce_IsOneUnit(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        const string code = "913302030000000059";
        var input = new UnitInput(code, "戊公司", "330203", "民企", 8, 2);

        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var db = database.NewContext();
            await new UnitCommands(db).SaveAsync(input, null, Actor.Cli("admin"), Ct);
        }));

        await using var check = database.NewContext();
        Assert.Equal(1, await check.Units.CountAsync(u => u.Code == code, Ct));
        Assert.Single(await AuditAsync(check), a => a.Contains(code, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheSameEditSentTwiceAtOnce_TakesEffectOnce(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        var edit = new UnitInput(Seed.UnitA, "甲公司", "330203", "民企", 77, 7);

        var (done, refused) = await database.AtOnceAsync(3, async (db, _) =>
            await new UnitCommands(db).SaveAsync(edit, await ClerkOfAsync(db, "330203"), Actor.Cli("clerk1"), Ct));

        Assert.Equal(3, done + refused.Count);
        Assert.All(refused, r => Assert.Contains("已由他人同时处理", Assert.Single(r.Problems).Message));
        await using var check = database.NewContext();
        Assert.Single(await AuditAsync(check), a => a.StartsWith($"更新单位 单位 {Seed.UnitA}", StringComparison.Ordinal));
        Assert.Equal(77, (await check.Units.SingleAsync(u => u.Code == Seed.UnitA, Ct)).Headcount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AClerksEdit_RacingTheAdministratorMovingTheUnitAway_NeverLandsOutsideTheDistrict(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        for (var round = 0; round < 3; round++)
        {
            var (away, back) = round % 2 == 0 ? ("330205", "330203") : ("330203", "330205");
            var renamed = $"经办改名{round}";
            await database.AtOnceAsync(2, async (db, i) =>
            {
                if (i == 0)
                    await new UnitCommands(db).SaveAsync(new UnitInput(Seed.UnitA, "甲公司", away, "民企", 10, 3), null, Actor.Cli("admin"), Ct);
                else
                    await new UnitCommands(db).SaveAsync(new UnitInput(Seed.UnitA, renamed, back, "民企", 10, 3), await ClerkOfAsync(db, back), Actor.Cli("clerk1"), Ct);
            });
            await using var check = database.NewContext();
            var unit = await check.Units.Where(u => u.Code == Seed.UnitA).Join(check.Districts, u => u.DistrictId, d => d.Id, (u, d) => u.Name + " " + d.Code).SingleAsync(Ct);
            Assert.NotEqual($"{renamed} {away}", unit);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ACodeInLowerCase_IsTheUnitsCode_AndANameWithControlCharactersIsRefused(string provider)
    {
        await using var database = await TwoDistrictsAsync(provider);
        await using var db = database.NewContext();
        var units = new UnitCommands(db);
        var clerk = await ClerkOfAsync(db, "330203");

        await units.SaveAsync(new UnitInput($" {Seed.UnitA.ToLowerInvariant()} ", "甲公司", "330203", "民企", 12, 3), clerk, Actor.Cli("clerk1"), Ct);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            units.SaveAsync(new UnitInput(Seed.UnitA, "甲\n公司\0", "330203", "民企", 12, 3), clerk, Actor.Cli("clerk1"), Ct));
        var blank = await Assert.ThrowsAsync<InvalidInputException>(() =>
            units.SaveAsync(new UnitInput(Seed.UnitA, "\u200B", "330203", "民企", 12, 3), clerk, Actor.Cli("clerk1"), Ct));

        Assert.Contains($"更新单位 单位 {Seed.UnitA} clerk1", await AuditAsync(db));
        Assert.Equal(("单位名称", "单位名称"), (Assert.Single(refused.Problems).Path, Assert.Single(blank.Problems).Path));
        Assert.Single((await units.PageAsync(clerk, Seed.UnitA[..10].ToLowerInvariant(), new PageRequest(), Ct)).Rows);
    }
}
