using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Members;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

public sealed class ChangeBankAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Change_ToAUsableCard_IsStoredAndSaidWithTheLastFourDigits()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var member = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);

        var first = await new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, "中国银行", "6217 8500 0000 1234", "新办卡", BankChangeSource.Clerk, TestActors.Tester, Ct);
        var second = await new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, "中国农业银行", "6228480000005678", "填错", BankChangeSource.Clerk, TestActors.Tester, Ct);

        Assert.Equal("未登记 → 中国银行 尾号 1234", first.Description);
        // The second came while the first waited: it replaces it, and cancelling it would put back what was before both.
        Assert.Equal("未登记 → 中国农业银行 尾号 5678", second.Description);
        Assert.Equal(BankChangeState.Superseded, first.State);
        Assert.Equal("6228480000005678", await db.Members.Where(m => m.Id == member).Select(m => m.BankAccount).SingleAsync(Ct));
    }

    [Fact]
    public async Task Change_WithoutABankOrWithLetters_NamesBothFieldsAndKeepsTheOldCard()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var member = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, " ", "62170O0", " ", BankChangeSource.Clerk, TestActors.Tester, Ct));

        Assert.Equal(["开户银行", "银行账号", "变更原因"], e.Problems.Select(p => p.Path));
        Assert.Null(await db.Members.Where(m => m.Id == member).Select(m => m.BankAccount).SingleAsync(Ct));
    }
}
