using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Members;

/// <summary>
/// A waiting bank-card change is confirmed or cancelled through the one handler, from the core and the
/// CLI alike: by a clerk other than its maker, only for a member in the clerk's scope, once.
/// </summary>
public sealed class BankChangeDoorsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Unit A's five workers in 海曙区, 江北区 beside it; worker 2's card changed by clerk1 and waiting.</summary>
    private static async Task<(TestDatabase Database, long Change)> SeedAsync(string provider, TimeProvider? clock = null)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
        var member = await db.Members.Where(m => m.IdNumber == Seed.Worker(2)).Select(m => m.Id).SingleAsync(Ct);
        var change = await new ChangeBankAccount(db, clock ?? Clock).HandleAsync(member, "中国农业银行", "6228480000000099", "原卡遗失", BankChangeSource.Clerk, TestActors.As("clerk1"), Ct);
        return (database, change.Id);
    }

    private static async Task<UserScope> ClerkAsync(TestDatabase database, string name, string? district)
    {
        await using var db = database.NewContext();
        var id = district is null ? null : await db.Districts.Where(d => d.Code == district).Select(d => (long?)d.Id).SingleAsync(Ct);
        return new UserScope(1, name, name, new HashSet<string> { Roles.Clerk }, id, null, null);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_ByAClerkOfAnotherDistrict_IsRefused_AndNothingChanges(string provider)
    {
        var (database, change) = await SeedAsync(provider);
        await using var _ = database;
        var outsider = await ClerkAsync(database, "clerk2", "330205");
        var finance = new UserScope(2, "finance1", "财务", new HashSet<string> { Roles.Finance }, null, null, null);

        await using (var db = database.NewContext())
        {
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new ChangeBankAccount(db, Clock).ConfirmAsync(outsider, change, TestActors.As("clerk2"), Ct));
            Assert.Equal($"银行卡变更 {change}", Assert.Single(refused.Problems).Path);
            Assert.Contains("不在 clerk2 的范围内", refused.Problems[0].Message, StringComparison.Ordinal);
            var cancel = await Assert.ThrowsAsync<InvalidInputException>(() => new ChangeBankAccount(db, Clock).CancelAsync(outsider, change, "会员来电", TestActors.As("clerk2"), Ct));
            Assert.Contains("不在 clerk2 的范围内", cancel.Problems[0].Message, StringComparison.Ordinal);
            var notClerk = await Assert.ThrowsAsync<InvalidInputException>(() => new ChangeBankAccount(db, Clock).ConfirmAsync(finance, change, TestActors.As("finance1"), Ct));
            Assert.Contains("只有经办人员", notClerk.Problems[0].Message, StringComparison.Ordinal);
        }

        await using var check = database.NewContext();
        Assert.Equal(BankChangeState.Pending, await check.BankAccountChanges.Where(c => c.Id == change).Select(c => c.State).SingleAsync(Ct));
        Assert.Equal("6228480000000099", await check.Members.Where(m => m.IdNumber == Seed.Worker(2)).Select(m => m.BankAccount).SingleAsync(Ct));
        Assert.False(await check.AuditEntries.AnyAsync(e => e.Action == "复核银行卡变更" || e.Action == "撤销银行卡变更", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_ByAClerkOfTheDistrict_TakesEffect(string provider)
    {
        var (database, change) = await SeedAsync(provider);
        await using var _ = database;
        var clerk = await ClerkAsync(database, "clerk2", "330203");

        await using (var db = database.NewContext())
            await new ChangeBankAccount(db, Clock).ConfirmAsync(clerk, change, TestActors.As("clerk2"), Ct);

        await using var check = database.NewContext();
        var decided = await check.BankAccountChanges.SingleAsync(c => c.Id == change, Ct);
        Assert.Equal((BankChangeState.Confirmed, "clerk2"), (decided.State, decided.DecidedBy));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cli_ListsConfirmsAndCancels_ThroughTheHandler_AsAStoredClerkInScope(string provider)
    {
        // The CLI reads the system's clock: the changes are made on it, so they still wait.
        var (database, change) = await SeedAsync(provider, TimeProvider.System);
        await using var _ = database;
        await using (var db = database.NewContext())
        {
            var admin = UserAdmin.For(db);
            await admin.AddAsync(new UserInput("clerk2", "二号经办", Roles.Clerk, "330203", null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("clerk3", "三号经办", Roles.Clerk, "330205", null, null), "Demo2026!x", Ct);
            var member = await db.Members.Where(m => m.IdNumber == Seed.Worker(3)).Select(m => m.Id).SingleAsync(Ct);
            await new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, "中国银行", "6216610000000033", "原卡销户", BankChangeSource.Clerk, TestActors.As("clerk1"), Ct);
        }
        var connection = database.Database.ConnectionString;
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", connection]);

        var list = await Run("member", "bank-change", "list", Seed.Worker(2), "--by", "clerk2", "--json");
        var outsider = await Run("member", "bank-change", "confirm", Id(change), "--by", "clerk3");
        var unknown = await Run("member", "bank-change", "confirm", Id(change), "--by", "nobody");
        var confirmed = await Run("member", "bank-change", "confirm", Id(change), "--by", "clerk2");
        var again = await Run("member", "bank-change", "confirm", Id(change), "--by", "clerk2");
        long other;
        await using (var db = database.NewContext())
            other = await db.BankAccountChanges.Where(c => c.Id != change).Select(c => c.Id).SingleAsync(Ct);
        var noReason = await Run("member", "bank-change", "cancel", Id(other), "--reason", " ", "--by", "clerk2");
        var cancelled = await Run("member", "bank-change", "cancel", Id(other), "--reason", "会员来电：非本人办理", "--by", "clerk2");

        Assert.True(list.ExitCode == 0, list.Stderr);
        var listed = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal((change, "Pending"), (listed.GetProperty("id").GetInt64(), listed.GetProperty("state").GetString()));
        Assert.Equal(2, outsider.ExitCode);
        Assert.Contains($"银行卡变更 {change}", outsider.Stderr, StringComparison.Ordinal);
        Assert.Contains("不在 clerk3 的范围内", outsider.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--by", unknown.Stderr, StringComparison.Ordinal);
        Assert.True(confirmed.ExitCode == 0, confirmed.Stderr);
        Assert.Contains($"银行卡变更 {change} 已复核", confirmed.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("已由 clerk2 处理", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains($"银行卡变更 {other}", noReason.Stderr, StringComparison.Ordinal);
        Assert.Contains("撤销须写明原因", noReason.Stderr, StringComparison.Ordinal);
        Assert.True(cancelled.ExitCode == 0, cancelled.Stderr);
        Assert.Contains("已撤销，恢复为", cancelled.Stdout, StringComparison.Ordinal);

        await using var check = database.NewContext();
        var decided = await check.BankAccountChanges.OrderBy(c => c.Id).Select(c => new { c.Id, c.State, c.DecidedBy }).ToListAsync(Ct);
        Assert.Equal([(change, BankChangeState.Confirmed, "clerk2"), (other, BankChangeState.Cancelled, "clerk2")], decided.Select(c => (c.Id, c.State, c.DecidedBy)));
        Assert.NotEqual("6216610000000033", await check.Members.Where(m => m.IdNumber == Seed.Worker(3)).Select(m => m.BankAccount).SingleAsync(Ct));
        var audits = await check.AuditEntries.Where(e => e.Action == "复核银行卡变更" || e.Action == "撤销银行卡变更").Select(e => new { e.Action, e.User, e.From }).ToListAsync(Ct);
        Assert.Equal(2, audits.Count);
        Assert.All(audits, a => Assert.Equal("clerk2", a.User));
        Assert.All(audits, a => Assert.StartsWith("命令行", a.From, StringComparison.Ordinal));
    }
}
