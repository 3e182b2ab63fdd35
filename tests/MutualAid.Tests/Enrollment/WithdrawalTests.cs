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
}
