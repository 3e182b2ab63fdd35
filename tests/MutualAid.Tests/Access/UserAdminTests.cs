using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Access;

/// <summary>Accounts with a role and a scope, on the real databases; and the CLI verbs in the audit trail.</summary>
public sealed class UserAdminTests
{
    private const string Password = "Start2026x";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Add_ClerkOfADistrictAndUnitOfficer_StoresTheirScope(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var admin = UserAdmin.For(db);

        await admin.AddAsync(new UserInput("clerk", "海曙经办", Roles.Clerk, "330203", null, null), Password, Ct);
        await admin.AddAsync(new UserInput("unit", "甲公司工会", Roles.UnitOfficer, null, Seed.UnitA, null), Password, Ct);

        var rows = await admin.ListAsync(Ct);
        Assert.Equal(["clerk|经办|海曙区", "unit|单位经办|甲公司"], rows.Select(r => $"{r.UserName}|{r.Roles}|{r.Scope}"));
        var clerk = await db.Users.SingleAsync(u => u.UserName == "clerk", Ct);
        Assert.NotNull(clerk.DistrictId);
        Assert.NotEqual(Password, clerk.PasswordHash);
    }

    [Fact]
    public async Task Add_WithEveryMistake_NamesEachFieldAndWritesNothing()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await using var db = database.NewContext();

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            UserAdmin.For(db).AddAsync(new UserInput("unit", "", Roles.UnitOfficer, "330203", "91330203000000009X", null), Password, Ct));

        Assert.Equal(["姓名", "区县", "单位"], e.Problems.Select(p => p.Path));
        Assert.Contains("91330203000000009X", e.Problems[2].Message);
        Assert.False(await db.Users.AnyAsync(Ct));
    }

    [Fact]
    public async Task Add_WeakPasswordOrSameName_IsRefusedInChinese()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await using var db = database.NewContext();
        var admin = UserAdmin.For(db);
        await admin.AddAsync(new UserInput("finance", "财务", Roles.Finance, null, null, null), Password, Ct);

        var weak = await Assert.ThrowsAsync<InvalidInputException>(() => admin.AddAsync(new UserInput("f2", "财务二", Roles.Finance, null, null, null), "short", Ct));
        var same = await Assert.ThrowsAsync<InvalidInputException>(() => admin.AddAsync(new UserInput("finance", "财务三", Roles.Finance, null, null, null), Password, Ct));

        Assert.Contains(weak.Problems, p => p.Message == "密码至少 8 位");
        Assert.Contains(same.Problems, p => p.Message == "用户名 finance 已被使用");
        Assert.Single(await admin.ListAsync(Ct));
    }

    [Fact]
    public async Task Disable_LocksTheAccountAndEnableOrANewPasswordOpensIt()
    {
        await using var database = await Seed.CityAsync("sqlite");
        await using var db = database.NewContext();
        var admin = UserAdmin.For(db);
        await admin.AddAsync(new UserInput("reviewer", "复核", Roles.Reviewer, null, null, null), Password, Ct);

        await admin.SetDisabledAsync("reviewer", disabled: true, Ct);
        var disabled = (await admin.ListAsync(Ct)).Single().Disabled;
        await admin.SetPasswordAsync("reviewer", "Another2026", Ct);

        Assert.True(disabled);
        Assert.False((await admin.ListAsync(Ct)).Single().Disabled);
    }

    [Fact]
    public void NewPassword_MeetsThePasswordRules()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => UserAdmin.NewPassword()).ToList();

        Assert.All(passwords, p => Assert.True(p.Length == 12 && p.Any(char.IsAsciiLetterUpper) && p.Any(char.IsAsciiLetterLower) && p.Any(char.IsAsciiDigit), p));
        Assert.Equal(200, passwords.Distinct().Count());
    }

    [Fact]
    public async Task Cli_VerbsThatChangeData_AreInTheAuditTrailAndReadsAreNot()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var db = database.Database.ConnectionString;

        var add = await CliRunner.RunAsync("user", "add", "clerk", "--display", "海曙经办", "--role", "Clerk", "--district", "330203", "--db", db);
        var list = await CliRunner.RunAsync("user", "list", "--db", db);
        var refused = await CliRunner.RunAsync("user", "add", "x", "--display", "某", "--role", "Boss", "--db", db);

        Assert.Equal(0, add.ExitCode);
        Assert.Contains("初始密码", add.Stdout);
        Assert.Contains("clerk\t海曙经办\t经办\t海曙区", list.Stdout);
        Assert.Equal(2, refused.ExitCode);
        await using var context = database.NewContext();
        // The verbs' lines (the seed's own set-up, the unit registered, has its line too).
        var entries = await context.AuditEntries.Where(a => a.From == "命令行").ToListAsync(Ct);
        var entry = Assert.Single(entries);
        Assert.Equal(("命令行 user add", "clerk", "命令行"), (entry.Action, entry.Subject, entry.From));
        Assert.Contains("--role Clerk", entry.Detail);
        Assert.DoesNotContain(add.Stdout.Split("初始密码 ")[1][..12], entry.Detail);
    }
}
