using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Members;
using MutualAid.Reports;
using MutualAid.Tests.Claims;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Reports;

public sealed class UnitDisclosureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Disclosure_ShowsTheUnitsPremiumsAndPayouts_BesideTheCitys(string provider)
    {
        await using var database = await ClaimSeed.PaidCityAsync(provider);
        var retiree = TestIds.Person(80, new DateOnly(1955, 1, 1), Gender.Male);
        await using (var db = database.NewContext())
        {
            await new RegisterMember(db).HandleAsync(new MemberInput(retiree, "退休者", MemberType.Retired, null, null, null, null, false, false), Ct);
            await new EnrollmentCommands(db).EnrolAsync(retiree, null, "RETIREE", Seed.Start, 1, false, null, TestActors.Tester, Ct);
        }
        await ClaimSeed.ImportAsync(database, [ClaimSeed.Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"), ClaimSeed.Settlement("S2", 2, new DateOnly(2025, 6, 10), 10000, 7000, "I10")]);
        await using var check = database.NewContext();
        var unitId = await check.Units.Select(u => u.Id).SingleAsync(Ct);
        var paid = await check.Claims.Where(c => c.EventDate == new DateOnly(2024, 6, 10)).Select(c => c.Total).SingleAsync(Ct);

        var report = await new UnitDisclosure(check).HandleAsync(unitId, Seed.Start, null, Ct);

        Assert.True(paid > Money.Zero);
        Assert.Equal((new DateOnly(2025, 4, 30), 5), (report.Period.End, report.Headcount));
        Assert.Equal([("在职职工住院医疗互助保障", 5, 300m, 1, paid.Yuan)], report.UnitLines.Select(l => (l.Plan, l.Enrolled, l.Premiums.Yuan, l.Claims, l.Payouts.Yuan)));
        Assert.Equal(300m, report.UnitPaid.Yuan);
        Assert.Equal(report.CityLines, await new UnitDisclosure(check).CityLinesAsync(Seed.Start, Ct));
        Assert.Equal((6, 430m, 1, paid.Yuan), (report.CityTotal.Enrolled, report.CityTotal.Premiums.Yuan, report.CityTotal.Claims, report.CityTotal.Payouts.Yuan));
    }
}
