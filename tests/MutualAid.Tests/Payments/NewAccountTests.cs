using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Importing;
using MutualAid.Members;
using MutualAid.Notifications;
using MutualAid.Payments;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Payments;

/// <summary>A changed bank account is paid only once a second person checked it or the waiting time is over, and batches mark it new.</summary>
public sealed class NewAccountTests
{
    private static readonly string[] BankHeader = ["序号", "姓名", "身份证号", "手机号", "开户银行", "银行账号"];
    private static readonly Actor UnitOfficer = new("unit1", Origin.Web, "10.0.0.9");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));

    /// <summary>Workers 1 and 2 with the cards they had for years and an approved claim of 2,600 each.</summary>
    private static async Task<TestDatabase> ApprovedClaimsAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            foreach (var member in await db.Members.Where(m => m.Name == "职工1" || m.Name == "职工2").ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"622202000000000{member.Name[^1]}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"), Settlement("S2", 2, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        return database;
    }

    private async Task<BatchResult> BatchAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        return await new PaymentDesk(db, _clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct);
    }

    private async Task<BankAccountChange> ChangeAsync(TestDatabase database, string worker, BankChangeSource source, Actor actor, string account = "6228480000000099")
    {
        await using var db = database.NewContext();
        var id = await db.Members.Where(m => m.Name == worker).Select(m => m.Id).SingleAsync(Ct);
        return await new ChangeBankAccount(db, _clock).HandleAsync(id, "中国农业银行", account, "原卡遗失", source, actor, Ct);
    }

    private static UserScope CityClerk(string name) => new(0, name, name, new HashSet<string> { Roles.Clerk }, null, null, null);

    private async Task<BankAccountChange> ConfirmAsync(TestDatabase database, long change, string clerk)
    {
        await using var db = database.NewContext();
        return await new ChangeBankAccount(db, _clock).ConfirmAsync(CityClerk(clerk), change, TestActors.As(clerk), Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UnitRosterNewAccount_IsNotPaidBeforeTheWait_AndTheOldMobileIsTold(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        await using (var db = database.NewContext())
        {
            // The attack: the unit's roster gives worker 2 another card and another mobile number.
            var file = RosterFiles.Write("csv", BankHeader, [[1, "职工2", Seed.Worker(2), "13999999999", "中国农业银行", "6228480000000099"]]);
            var report = await new ImportRoster(db, _clock).HandleAsync(file, new RosterOptions(Seed.UnitA), UnitOfficer, Ct);
            Assert.Equal(1, report.BankAccountsChanged);
        }

        var made = await BatchAsync(database);

        var payment = Assert.Single(made.Batch!.Payments);
        Assert.Equal(("职工1", "6222020000000001", false), (payment.PayeeName, payment.BankAccount, payment.NewAccount));
        var held = Assert.Single(made.Held);
        Assert.Contains("变更为中国农业银行 尾号 0099，待经办复核或 2024-07-08 生效后发放", held.Message, StringComparison.Ordinal);
        await using (var db = database.NewContext())
        {
            var change = await db.BankAccountChanges.SingleAsync(Ct);
            Assert.Equal((BankChangeSource.Unit, "unit1", "网页 10.0.0.9", "6222020000000002", "0099"), (change.Source, change.MadeBy, change.Door, change.OldAccount, change.NewAccountTail));
            var notice = await db.Notices.SingleAsync(n => n.Topic == NoticeTopic.BankAccountChanged, Ct);
            Assert.Equal("13800000002", notice.Phone);
            Assert.Contains("所在单位（unit1，花名册）", notice.Text, StringComparison.Ordinal);
            Assert.Contains("尾号 0099", notice.Text, StringComparison.Ordinal);
            Assert.Contains("如非本人办理，请即致电服务网点", notice.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("6228480000000099", notice.Text, StringComparison.Ordinal);
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "更换银行卡", Ct);
            Assert.Equal("unit1", audit.User);
            Assert.StartsWith("中国工商银行 尾号 0002 → 中国农业银行 尾号 0099（单位花名册；原因：花名册 ", audit.Detail, StringComparison.Ordinal);
        }

        // The waiting time (7 days, as no scheme says otherwise) is over: the next batch pays the new card and marks it.
        _clock.Advance(TimeSpan.FromDays(7));
        var later = Assert.Single((await BatchAsync(database)).Batch!.Payments);
        Assert.Equal(("职工2", "6228480000000099", true), (later.PayeeName, later.BankAccount, later.NewAccount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ClerksChange_IsConfirmedOnlyByASecondClerk_ThenPaidAndMarkedNew(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var change = await ChangeAsync(database, "职工2", BankChangeSource.Clerk, TestActors.As("clerk1"));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => ConfirmAsync(database, change.Id, "clerk1"));
        Assert.Equal((change.Subject, "由 clerk1 办理，须由另一名经办人员复核"), (refused.Problems[0].Path, refused.Problems[0].Message));
        await ConfirmAsync(database, change.Id, "clerk2");

        var batch = (await BatchAsync(database)).Batch!;
        Assert.Equal(1, batch.NewAccounts);
        Assert.Equal([("6222020000000001", false), ("6228480000000099", true)], batch.Payments.OrderBy(p => p.LineNo).Select(p => (p.BankAccount, p.NewAccount)));
        Assert.Equal(PaymentDesk.BankColumns, await BankFileHeaderAsync(database, batch.Code));
        await using var db = database.NewContext();
        var confirmed = await db.BankAccountChanges.SingleAsync(Ct);
        Assert.Equal(("clerk2", BankChangeState.Confirmed), (confirmed.DecidedBy, confirmed.State));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "复核银行卡变更" && a.User == "clerk2", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MembersOwnChange_Waits_AndACancelPutsTheOldCardBack(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var own = new Actor(Seed.Worker(2), Origin.Web, "10.0.0.7");
        var change = await ChangeAsync(database, "职工2", BankChangeSource.Member, own);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddDays(7), change.EffectiveAt);

        Assert.Equal("职工1", Assert.Single((await BatchAsync(database)).Batch!.Payments).PayeeName);
        await Assert.ThrowsAsync<InvalidInputException>(() => ConfirmAsync(database, change.Id, Seed.Worker(2)));
        await using (var db = database.NewContext())
            await new ChangeBankAccount(db, _clock).CancelAsync(CityClerk("clerk2"), change.Id, "会员来电：非本人办理", TestActors.As("clerk2"), Ct);

        var payment = Assert.Single((await BatchAsync(database)).Batch!.Payments);
        Assert.Equal(("6222020000000002", false), (payment.BankAccount, payment.NewAccount));
        await using var check = database.NewContext();
        var notice = await check.Notices.SingleAsync(n => n.Topic == NoticeTopic.BankAccountChanged, Ct);
        Assert.Contains("您的账户（网上自助）", notice.Text, StringComparison.Ordinal);
        var member = await check.Members.SingleAsync(m => m.Name == "职工2", Ct);
        Assert.Equal(("中国工商银行", "6222020000000002"), (member.BankName, member.BankAccount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_SentTwiceAtOnce_TakesEffectOnce(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        var change = await ChangeAsync(database, "职工2", BankChangeSource.Clerk, TestActors.As("clerk1"));
        await using var first = database.NewContext();
        await using var second = database.NewContext();
        // Both clerks read the change while it waits.
        await first.BankAccountChanges.SingleAsync(c => c.Id == change.Id, Ct);
        await second.BankAccountChanges.SingleAsync(c => c.Id == change.Id, Ct);

        await new ChangeBankAccount(first, _clock).ConfirmAsync(CityClerk("clerk2"), change.Id, TestActors.As("clerk2"), Ct);
        var lost = await Assert.ThrowsAsync<InvalidInputException>(() => new ChangeBankAccount(second, _clock).ConfirmAsync(CityClerk("clerk3"), change.Id, TestActors.As("clerk3"), Ct));

        Assert.Contains("已由他人同时处理（现为“已复核生效”）", Assert.Single(lost.Problems).Message, StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal(1, await check.AuditEntries.CountAsync(e => e.Action == "复核银行卡变更", Ct));
        Assert.Equal("clerk2", await check.BankAccountChanges.Select(c => c.DecidedBy).SingleAsync(Ct));
        var again = await Assert.ThrowsAsync<InvalidInputException>(() => ConfirmAsync(database, change.Id, "clerk3"));
        Assert.Contains("已由 clerk2 处理，现为“已复核生效”", again.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AChangeOlderThan30Days_IsNoLongerMarkedNew(string provider)
    {
        await using var database = await ApprovedClaimsAsync(provider);
        await ChangeAsync(database, "职工2", BankChangeSource.Clerk, TestActors.As("clerk1"));

        _clock.Advance(TimeSpan.FromDays(31));

        Assert.All((await BatchAsync(database)).Batch!.Payments, p => Assert.False(p.NewAccount));
    }

    private async Task<string[]> BankFileHeaderAsync(TestDatabase database, string code)
    {
        await using var db = database.NewContext();
        var desk = new PaymentDesk(db, _clock);
        await desk.ApproveAsync(code, TestActors.As("finance2"), Ct);
        var file = await desk.SendAsync(code, TestActors.As("finance2"), Ct);
        // The file starts with a UTF-8 BOM (the spec accepts one), which a reader takes off.
        return System.Text.Encoding.UTF8.GetString(file.Content).TrimStart('\uFEFF').Split('\n')[0].Split(',');
    }
}
