using System.Text.Json;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Relief;

/// <summary><c>mutualaid relief …</c>: the same handlers as the pages, a second person at each check, exit 2 with the reason when refused.</summary>
public sealed class ReliefCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Relief_FromFileToApproval_ThroughTheCli_TakesTwoPeople_AndTheBooksBalance()
    {
        await using var database = await Claims.ClaimSeed.PaidCityAsync("sqlite");
        await using (var db = database.NewContext())
        {
            var admin = UserAdmin.For(db);
            await admin.AddAsync(new UserInput("clerk1", "一号经办", Roles.Clerk, "330203", null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("reviewer1", "一号复核", Roles.Reviewer, null, null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("finance1", "一号财务", Roles.Finance, null, null, null), "Demo2026!x", Ct);
        }
        var connection = database.Database.ConnectionString;
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", connection]);
        var today = TimeProvider.System.Today();
        var year = today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var budget = await Run("relief", "budget", "set", year, "--amount", "5000", "--by", "finance1");
        var notFinance = await Run("relief", "budget", "set", year, "--amount", "9000", "--by", "clerk1");
        var opened = await Run("relief", "file", "open", Seed.Worker(1), "--reason", "本人重病", "--evidence", "诊断证明", "--review-on", $"{today.AddYears(1):yyyy-MM-dd}", "--by", "clerk1", "--json");
        var file = JsonDocument.Parse(opened.Stdout).RootElement.GetProperty("number").GetString()!;
        var selfApproved = await Run("relief", "file", "approve", file, "--by", "clerk1");
        var approved = await Run("relief", "file", "approve", file, "--by", "reviewer1");
        var tooMuch = await Run("relief", "apply", Seed.Worker(1), "--year", year, "--amount", "6000", "--meeting", "第 1 次会议", "--by", "clerk1");
        var applied = await Run("relief", "apply", Seed.Worker(1), "--year", year, "--amount", "3000", "--meeting", "第 1 次会议", "--by", "clerk1", "--json");
        var number = JsonDocument.Parse(applied.Stdout).RootElement.GetProperty("number").GetString()!;
        var checkedOnce = await Run("relief", "approve", number, "--by", "reviewer1");
        var checkedTwice = await Run("relief", "approve", number, "--by", "reviewer1");
        var list = await Run("relief", "list", "--by", "clerk1", "--year", year, "--state", "approved");
        var report = await Run("relief", "report", "--year", year, "--json");
        var books = await Run("ledger", "check");

        Assert.Equal(0, budget.ExitCode);
        Assert.Equal(2, notFinance.ExitCode);
        Assert.Contains("只有财务人员", notFinance.Stderr);
        Assert.Equal(0, opened.ExitCode);
        Assert.Equal(2, selfApproved.ExitCode);
        Assert.Contains("须由另一人认定", selfApproved.Stderr);
        Assert.Equal(0, approved.ExitCode);
        Assert.Equal(2, tooMuch.ExitCode);
        Assert.Contains("超过", tooMuch.Stderr);
        Assert.Equal(0, checkedOnce.ExitCode);
        Assert.Equal(2, checkedTwice.ExitCode);
        Assert.Contains("已由 reviewer1 复核", checkedTwice.Stderr);
        Assert.Contains(number, list.Stdout);
        Assert.Contains("已核准", list.Stdout);
        Assert.Equal(3000m, JsonDocument.Parse(report.Stdout).RootElement.GetProperty("approvedUnpaid").GetDecimal());
        Assert.True(books.ExitCode == 0, books.Stdout + books.Stderr);
        Assert.Contains("二次救助支出", books.Stdout);

        // A second person reviews the file: kept with a new date only near its review date; closed any time, and kept again.
        var neither = await Run("relief", "file", "review", file, "--by", "reviewer1");
        var selfReviewed = await Run("relief", "file", "review", file, "--close", "家庭收入已恢复", "--by", "clerk1");
        var early = await Run("relief", "file", "review", file, "--next", $"{today.AddYears(2):yyyy-MM-dd}", "--by", "reviewer1");
        var closed = await Run("relief", "file", "review", file, "--close", "家庭收入已恢复", "--by", "reviewer1", "--json");
        var reopened = await Run("relief", "file", "review", file, "--next", $"{today.AddYears(2):yyyy-MM-dd}", "--by", "reviewer1");

        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("二者选一", neither.Stderr);
        Assert.Equal(2, selfReviewed.ExitCode);
        Assert.Contains("须由另一人复核", selfReviewed.Stderr);
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("起才能复核", early.Stderr);
        Assert.Equal("Closed", JsonDocument.Parse(closed.Stdout).RootElement.GetProperty("state").GetString());
        Assert.True(reopened.ExitCode == 0, reopened.Stderr);
        Assert.Contains($"下次复核日期 {today.AddYears(2):yyyy-MM-dd}", reopened.Stdout);
    }
}
