using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Schemes;
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
        Assert.Equal(BankChangeState.Superseded, (await db.BankAccountChanges.AsNoTracking().SingleAsync(c => c.Id == first.Id, Ct)).State);
        Assert.Equal("6228480000005678", await db.Members.Where(m => m.Id == member).Select(m => m.BankAccount).SingleAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoChangesAtOnce_AreMadeOneAfterTheOther_AndTheFirstCardIsTheOneToPutBack(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        long member;
        await using (var db = database.NewContext())
            member = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);

        var (done, refused) = await database.AtOnceAsync(2, (db, i) =>
            new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, "中国银行", $"621785000000123{i}", "新办卡", BankChangeSource.Clerk, TestActors.Tester, Ct));

        Assert.Equal((2, 0), (done, refused.Count));
        await using var check = database.NewContext();
        var changes = await check.BankAccountChanges.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal([BankChangeState.Superseded, BankChangeState.Pending], changes.Select(c => c.State));
        Assert.All(changes, c => Assert.Null(c.OldAccount));
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

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Change_WhenASchemeSaysItsWaitingTime_TakesEffectAfterIt(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
        await using var db = database.NewContext();
        var json = (await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "baoji.json"), Ct)).Replace("\"plans\"", "\"bankAccountWaitDays\": 3, \"plans\"", StringComparison.Ordinal);
        await new LoadScheme(db, clock).HandleAsync(json, Ct);
        var member = await db.Members.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);

        var change = await new ChangeBankAccount(db, clock).HandleAsync(member, "中国银行", "6217850000001234", "新办卡", BankChangeSource.Clerk, TestActors.Tester, Ct);

        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(3), change.EffectiveAt);
        Assert.True(change.Waiting(clock.GetUtcNow().UtcDateTime.AddDays(3).AddSeconds(-1)));
        Assert.False(change.Waiting(change.EffectiveAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SelfRegistration_OfAMemberOnFileWithAnotherCard_IsTheirOwnChangeThatWaits(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var worker = await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(1), Ct);

        await TestSms.RegisterAsync(db, new Registration(worker.IdNumber, worker.Name, worker.Phone!, MemberType.InService, "中国银行", "6217850000004321", ""),
            "Worker2024", TimeProvider.System, Ct);

        var change = await db.BankAccountChanges.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((BankChangeSource.Member, BankChangeState.Pending), (change.Source, change.State));
        Assert.Equal(worker.Phone, (await db.Notices.SingleAsync(n => n.Topic == MutualAid.Notifications.NoticeTopic.BankAccountChanged, Ct)).Phone);
    }
}
