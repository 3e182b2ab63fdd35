using MutualAid.Benefits;
using MutualAid.Organisation;
using MutualAid.Tests.Data;
using MutualAid.Units;

namespace MutualAid.Tests.Organisation;

public sealed class OrganisationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Organisation_RegionDistrictsAndPoints_AreKeptAndAddingTwiceChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        var org = new OrganisationCommands(db);

        await org.SetRegionAsync("330200", "宁波市", Ct);
        await org.AddDistrictAsync("330203", "海曙区", Ct);
        await org.AddDistrictAsync("330203", "海曙区", Ct);
        await org.AddServicePointAsync("330203", "海曙区职工服务中心", "解放南路", Ct);
        await org.AddServicePointAsync("330203", "海曙区职工服务中心", "解放南路", Ct);

        var view = await org.ShowAsync(Ct);
        Assert.Equal(("330200", "宁波市"), (view.RegionCode, view.RegionName));
        var district = Assert.Single(view.Districts);
        Assert.Equal(["海曙区职工服务中心"], district.ServicePoints);
    }

    [Theory]
    [InlineData("310101", "不属于统筹区")]
    [InlineData("33020", "应为 6 位数字")]
    public async Task AddDistrict_OutsideTheRegionOrMalformed_IsRefused(string code, string reason)
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var db = database.NewContext();
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", Ct);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => org.AddDistrictAsync(code, "某区", Ct));

        Assert.Contains(reason, Assert.Single(error.Problems).Message);
    }

    [Fact]
    public async Task SetRegion_ToAnotherCity_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var db = database.NewContext();
        await new OrganisationCommands(db).SetRegionAsync("330200", "宁波市", Ct);

        await Assert.ThrowsAsync<InvalidInputException>(() => new OrganisationCommands(db).SetRegionAsync("330900", "舟山市", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveUnit_WithEveryFieldWrong_ListsEveryProblem(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new UnitCommands(db).SaveAsync(new UnitInput("91330203000000001X", " ", "999999", "外企", 10, 12), Ct));

        Assert.Equal(["统一社会信用代码", "单位名称", "单位性质", "女职工人数", "所属区县"], error.Problems.Select(p => p.Path));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SaveUnit_Again_UpdatesTheHeadcount(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();

        await new UnitCommands(db).SaveAsync(new UnitInput(Seed.UnitA, "甲公司", "330203", "国企", 40, 12), Ct);

        var unit = Assert.Single(await new UnitCommands(db).ListAsync(null, Ct));
        Assert.Equal((40, 12, "国企"), (unit.Headcount, unit.FemaleHeadcount, unit.Kind));
    }
}
