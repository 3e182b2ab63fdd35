using System.Text.Json;
using MutualAid.Access;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Partners;

/// <summary><c>mutualaid partner …</c>: the same handlers as the pages, a city administrator for the terms, a second person at the check, exit 2 with every bad row when refused.</summary>
public sealed class PartnerCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APartnersStatement_FromTermsToApproval_ThroughTheCli_TakesTwoPeople_AndTheBooksBalance()
    {
        await using var database = await Claims.ClaimSeed.PaidCityAsync("sqlite");
        await using (var db = database.NewContext())
        {
            var admin = UserAdmin.For(db);
            await admin.AddAsync(new UserInput("admin1", "管理员", Roles.Admin, null, null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("clerk1", "市级经办", Roles.Clerk, null, null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("reviewer1", "一号复核", Roles.Reviewer, null, null, null), "Demo2026!x", Ct);
        }
        var connection = database.Database.ConnectionString;
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", connection]);
        var code = TestIds.Unit(62);
        string[] header = ["身份证号", "姓名", "就诊日期", "结算流水号", "自付金额", "优惠金额"];
        var bad = RosterFiles.Write("csv", header, [[Seed.Worker(1), "职工1", "2024-06-03", "S1", 320, 64], [Seed.Worker(2), "职工2", "2024-06-04", "S2", 100, 30]]);
        var good = RosterFiles.Write("csv", header, [[Seed.Worker(1), "职工1", "2024-06-03", "S1", 320, 64], [Seed.Worker(2), "职工2", "2024-06-04", "S2", 100, 20]]);

        var saved = await Run("partner", "save", code, "--name", "宝鸡市中心医院", "--rate", "20", "--visit-cap", "200", "--year-cap", "1000",
            "--bank-name", "中国银行宝鸡分行", "--account", "3710580000000062", "--by", "admin1");
        var notAdmin = await Run("partner", "save", code, "--name", "改名", "--rate", "90", "--visit-cap", "200", "--year-cap", "1000", "--by", "clerk1");
        var refused = await Run("partner", "import", bad, "--partner", code, "--month", "2024-06", "--by", "clerk1");
        var imported = await Run("partner", "import", good, "--partner", code, "--month", "2024-06", "--by", "clerk1", "--json");
        var number = JsonDocument.Parse(imported.Stdout).RootElement.GetProperty("number").GetString()!;
        var self = await Run("partner", "approve", number, "--by", "clerk1");
        var approved = await Run("partner", "approve", number, "--by", "reviewer1");
        var list = await Run("partner", "statements", "--state", "approved");
        var report = await Run("partner", "report", "--year", "2024", "--json");
        var books = await Run("ledger", "check");

        Assert.True(saved.ExitCode == 0, saved.Stderr);
        Assert.Equal(2, notAdmin.ExitCode);
        Assert.Contains("只有市级管理员", notAdmin.Stderr);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("第 3 行 discount", refused.Stderr);
        Assert.Contains("整张结算单未导入", refused.Stderr);
        Assert.True(imported.ExitCode == 0, imported.Stderr);
        Assert.Equal(2, self.ExitCode);
        Assert.Contains("须由另一人复核", self.Stderr);
        Assert.True(approved.ExitCode == 0, approved.Stderr);
        Assert.Contains(number, list.Stdout);
        Assert.Contains("已核准", list.Stdout);
        var totals = JsonDocument.Parse(report.Stdout).RootElement;
        Assert.Equal((84m, 0m), (totals.GetProperty("discount").GetDecimal(), totals.GetProperty("paid").GetDecimal()));
        Assert.True(books.ExitCode == 0, books.Stdout + books.Stderr);
        Assert.Contains("医疗优惠补助支出", books.Stdout);
    }
}
