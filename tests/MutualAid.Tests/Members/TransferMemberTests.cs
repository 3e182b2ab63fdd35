using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Tests.Data;
using MutualAid.Units;

namespace MutualAid.Tests.Members;

/// <summary>A member moves between units only by a clerk's transfer within the clerk's scope, recorded once with its history.</summary>
public sealed class TransferMemberTests
{
    private static readonly string UnitSameDistrict = TestIds.Unit(3, "330203");
    private static readonly string UnitOtherDistrict = TestIds.Unit(2, "330205");
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Unit A (five enrolled workers) and unit C in 海曙区, unit B in 江北区.</summary>
    private static async Task<TestDatabase> SeedAsync(string provider)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(UnitSameDistrict, "丙公司", "330203", "民企", 1, 0), Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(UnitOtherDistrict, "乙公司", "330205", "民企", 1, 0), Ct);
        return database;
    }

    private static async Task<UserScope> ClerkAsync(MutualAidDbContext db, string? district) =>
        new(1, "clerk1", "经办", new HashSet<string> { Roles.Clerk }, district is null ? null : await db.Districts.Where(d => d.Code == district).Select(d => (long?)d.Id).SingleAsync(Ct), null, null);

    private static async Task<long> WorkerAsync(MutualAidDbContext db, int i)
    {
        var id = Seed.Worker(i);
        return await db.Members.Where(m => m.IdNumber == id).Select(m => m.Id).SingleAsync(Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AClerk_MovesAMemberWithinTheDistrict_KeepingHistoryAndEnrolments(string provider)
    {
        await using var database = await SeedAsync(provider);
        await using var db = database.NewContext();
        var member = await WorkerAsync(db, 1);
        var enrolments = await db.Enrollments.CountAsync(e => e.MemberId == member, Ct);

        await new TransferMember(db, Clock).HandleAsync(await ClerkAsync(db, "330203"), member, UnitSameDistrict, "调入丙公司", TestActors.As("clerk1"), Ct);

        await using var check = database.NewContext();
        var unitC = await check.Units.SingleAsync(u => u.Code == UnitSameDistrict, Ct);
        Assert.Equal(unitC.Id, (await check.Members.SingleAsync(m => m.Id == member, Ct)).UnitId);
        var transfer = await check.MemberTransfers.SingleAsync(Ct);
        Assert.Equal((member, (long?)unitC.Id, "clerk1", "调入丙公司"), (transfer.MemberId, transfer.ToUnitId, transfer.By, transfer.Reason));
        Assert.NotNull(transfer.FromUnitId);
        Assert.Equal(enrolments, await check.Enrollments.CountAsync(e => e.MemberId == member, Ct));
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "转移单位", Ct);
        Assert.Contains("甲公司 → 丙公司", audit.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task NoOneMovesAMemberOutsideTheirScope(string provider)
    {
        await using var database = await SeedAsync(provider);
        await using var db = database.NewContext();
        var member = await WorkerAsync(db, 2);
        var district = await ClerkAsync(db, "330203");
        var otherDistrict = await ClerkAsync(db, "330205");
        var unitA = await db.Units.Where(u => u.Code == Seed.UnitA).Select(u => u.Id).SingleAsync(Ct);
        var officer = new UserScope(2, "unit", "单位经办", new HashSet<string> { Roles.UnitOfficer }, null, unitA, null);
        var transfer = new TransferMember(db, Clock);

        var refusals = new[]
        {
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(district, member, UnitOtherDistrict, "调动", TestActors.As("clerk1"), Ct)),
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(otherDistrict, member, UnitOtherDistrict, "调动", TestActors.As("clerk2"), Ct)),
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(officer, member, UnitSameDistrict, "调动", TestActors.As("unit"), Ct)),
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(district, member, "NOPE", "调动", TestActors.As("clerk1"), Ct)),
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(district, member, UnitSameDistrict, " ", TestActors.As("clerk1"), Ct)),
            await Assert.ThrowsAsync<InvalidInputException>(() => transfer.HandleAsync(district, member, Seed.UnitA, "调动", TestActors.As("clerk1"), Ct)),
        };

        Assert.Contains("跨区县转移由市级经办办理", refusals[0].Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("不在您的管理范围内", refusals[1].Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("须由经办办理", refusals[2].Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(["转入单位", "转移原因", $"会员 {member}"], refusals[3..].Select(r => r.Problems[0].Path));
        await using var check = database.NewContext();
        Assert.Equal(unitA, (await check.Members.SingleAsync(m => m.Id == member, Ct)).UnitId);
        Assert.False(await check.MemberTransfers.AnyAsync(Ct));
        Assert.False(await check.AuditEntries.AnyAsync(a => a.Action == "转移单位", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ATransferSentTwiceAtOnce_MovesOnce(string provider)
    {
        await using var database = await SeedAsync(provider);
        long member;
        UserScope city;
        await using (var db = database.NewContext())
        {
            member = await WorkerAsync(db, 3);
            city = await ClerkAsync(db, null);
        }

        var (done, refused) = await database.AtOnceAsync(3, (db, _) => new TransferMember(db, Clock).HandleAsync(city, member, UnitOtherDistrict, "调入乙公司", TestActors.As("clerk1"), Ct));

        Assert.Equal((1, 2), (done, refused.Count));
        Assert.All(refused, e => Assert.Contains("已在 乙公司", e.Problems[0].Message, StringComparison.Ordinal));
        await using var check = database.NewContext();
        Assert.Equal(1, await check.MemberTransfers.CountAsync(Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "转移单位", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UpdatingAMembersDetails_NeverMovesThemToAnotherUnit(string provider)
    {
        await using var database = await SeedAsync(provider);
        await using var db = database.NewContext();

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new RegisterMember(db).HandleAsync(
            new MemberInput(Seed.Worker(4), "职工4", MemberType.InService, null, UnitOtherDistrict, null, null, false, false), Ct));

        Assert.Equal("单位", refused.Problems[0].Path);
        Assert.Contains("转移单位须经办办理", refused.Problems[0].Message, StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal(Seed.UnitA, await check.Members.Where(m => m.IdNumber == Seed.Worker(4)).Join(check.Units, m => m.UnitId, u => u.Id, (m, u) => u.Code).SingleAsync(Ct));
    }
}
