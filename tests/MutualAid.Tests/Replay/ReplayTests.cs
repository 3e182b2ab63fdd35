using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Demo;
using MutualAid.Replay;
using MutualAid.Tests.Claims;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Replay;

/// <summary>重算 (the stored claims from the stored rules) and 测算 (a year under a draft scheme), on both databases.</summary>
public sealed class ReplayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Ningbo = File.ReadAllText(Path.Combine(TestPaths.Schemes, "ningbo.json"));

    /// <summary>
    /// Workers 1–5 of unit A (海曙区; odd ones women) in INPATIENT from 2024-05-01, paid; four stays in 2024.
    /// INPATIENT pays 80% of the self-pay up to 3,000 and 10% above (per claim), and 200 once a period:
    /// worker 1: self-pay 4,000 → 2,400 + 100 + 200 = 2,700, then 1,000 → 800; worker 2: 500 → 400 + 200 = 600;
    /// worker 3: 30,000 → 2,400 + 2,700 + 200 = 5,300. In all 9,400.
    /// </summary>
    private static async Task<TestDatabase> TinyCityAsync(string provider)
    {
        var database = await ClaimSeed.PaidCityAsync(provider);
        await ClaimSeed.ImportAsync(database,
        [
            ClaimSeed.Settlement("S1", 1, new DateOnly(2024, 6, 10), 10_000, 6_000, "I10"),
            ClaimSeed.Settlement("S2", 2, new DateOnly(2024, 7, 1), 2_000, 1_500, "J18.9"),
            ClaimSeed.Settlement("S3", 1, new DateOnly(2024, 8, 1), 3_000, 2_000, "I10"),
            ClaimSeed.Settlement("S4", 3, new DateOnly(2024, 9, 1), 50_000, 20_000, "C50.9"),
        ]);
        return database;
    }

    /// <summary>The draft: 50% up to 3,000 and 20% above, 300 once a period, premium 80.</summary>
    private static string Draft()
    {
        var scheme = JsonNode.Parse(Ningbo)!;
        var version = scheme["plans"]!.AsArray().Single(p => (string?)p!["code"] == "INPATIENT")!["versions"]!.AsArray()[^1]!;
        version["premium"] = 80;
        var brackets = version["benefits"]![0]!["brackets"]!.AsArray();
        brackets[0]!["rate"] = 0.5;
        brackets[1]!["rate"] = 0.2;
        version["benefits"]![1]!["amount"] = 300;
        return scheme.ToJsonString();
    }

    private static async Task<(RecomputeSummary Summary, List<ClaimDifference> Differences)> RecomputeAsync(TestDatabase database, int? year = null)
    {
        await using var db = database.NewContext();
        var differences = new List<ClaimDifference>();
        var summary = await new Recompute(db).RunAsync(year, null, differences.Add, Ct);
        return (summary, differences);
    }

    private static string Describe(IEnumerable<ClaimDifference> differences) =>
        string.Join("\n", differences.Select(d => $"{d.Number} {d.Expected}: " + string.Join("; ", d.Lines.Select(l => $"{l.Name} {l.Stored} → {l.Recomputed} {l.StoredReason}→{l.RecomputedReason}"))));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recompute_OnTheDemoCity_FindsNoDifference_AndTheStoredSchemeAsADraftChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await new DemoCity(database.Database, TimeProvider.System).RunAsync(Ct);

        var (summary, differences) = await RecomputeAsync(database);

        Assert.True(differences.Count == 0, Describe(differences));
        Assert.Equal(0, summary.Differing);
        await using var db = database.NewContext();
        var live = await db.Claims.CountAsync(c => c.State != ClaimState.Rejected && c.State != ClaimState.Reversed && c.MatchedToId == null, Ct);
        Assert.Equal(live, summary.Claims);
        Assert.True(summary.Rejected > 0 && summary.Reversed > 0, summary.Text);
        Assert.Contains("无差异", summary.Text);

        var year = await db.Claims.GroupBy(c => c.EventDate.Year).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(Ct);
        var baseline = await new WhatIf(db).RunAsync((await new WhatIf(db).DocumentAsync("NINGBO-STYLE", Ct))!, year, Ct);
        Assert.True(baseline.Total.Paid > Money.Zero);
        Assert.Equal(baseline.Total.Paid, baseline.Total.WouldPay);
        Assert.Equal((0, 0), (baseline.Total.Gainers, baseline.Total.Losers));
        Assert.Empty(baseline.Gainers);
        Assert.Equal(6, baseline.Districts.Count(d => d.Name != "无单位"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recompute_WhenAStoredLineIsTampered_ReportsThatLine(string provider)
    {
        await using var database = await TinyCityAsync(provider);
        var (clean, none) = await RecomputeAsync(database);
        Assert.Empty(none);
        Assert.Equal((4, 0), (clean.Claims, clean.Differing));

        await using (var db = database.NewContext())
        {
            var line = await db.ClaimLines.Where(l => l.BenefitCode == "SECOND_REIMBURSE" && l.Amount == Money.FromYuan(800)).SingleAsync(Ct);
            await db.ClaimLines.Where(l => l.Id == line.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.Amount, Money.FromYuan(880)), Ct);
        }
        var (summary, differences) = await RecomputeAsync(database, 2024);

        var difference = Assert.Single(differences);
        await using var check = database.NewContext();
        var claim = await check.Claims.SingleAsync(c => c.SettlementId == check.Settlements.Single(s => s.SetlId == "S3").Id, Ct);
        Assert.Equal(claim.Number, difference.Number);
        var line2 = Assert.Single(difference.Lines);
        Assert.Equal(("INPATIENT", "SECOND_REIMBURSE"), (line2.Plan, line2.Benefit));
        Assert.Equal((Money.FromYuan(880), Money.FromYuan(800)), (line2.Stored!.Value, line2.Recomputed!.Value));
        Assert.Null(difference.Expected);
        Assert.Equal((4, 1, 0), (summary.Claims, summary.Differing, summary.Expected));
        Assert.Contains("原因不明 1 件", summary.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WhatIf_WithHalfTheRateAndAHigherAid_GivesTheFiguresWorkedByHand(string provider)
    {
        await using var database = await TinyCityAsync(provider);
        await using var db = database.NewContext();

        var report = await new WhatIf(db).RunAsync(Draft(), 2024, Ct);

        // Under the draft: worker 1: 1,500 + 200 + 300 = 2,000, then 500; worker 2: 250 + 300 = 550; worker 3: 1,500 + 5,400 + 300 = 7,200. In all 10,250.
        Assert.Equal(4, report.Claims);
        Assert.Equal(new WhatIfRow("合计", 3, Money.FromYuan(9_400), Money.FromYuan(10_250), 1, 2), report.Total);
        var plan = Assert.Single(report.Plans);
        Assert.Equal(new WhatIfPlanRow("INPATIENT", "在职职工住院医疗互助保障", 3, Money.FromYuan(9_400), Money.FromYuan(10_250), 1, 2, 5, Money.FromYuan(60), Money.FromYuan(80)), plan);
        // 以支定收: 10,250 ÷ the 5 paid members = 2,050 a head.
        Assert.Equal(Money.FromYuan(2_050), plan.BalancingPremium);
        Assert.Equal([new WhatIfRow("海曙区", 3, Money.FromYuan(9_400), Money.FromYuan(10_250), 1, 2)], report.Districts);
        Assert.Equal(
            [new WhatIfRow("在职·女", 2, Money.FromYuan(8_000 + 800), Money.FromYuan(9_700), 1, 1), new WhatIfRow("在职·男", 1, Money.FromYuan(600), Money.FromYuan(550), 0, 1)],
            report.Groups.OrderBy(g => g.Name, StringComparer.Ordinal).ToList());
        var gainer = Assert.Single(report.Gainers);
        Assert.Equal((IdNumber.Parse(Seed.Worker(3)).Masked, Money.FromYuan(1_900)), (gainer.MaskedId, gainer.Difference));
        Assert.Equal([IdNumber.Parse(Seed.Worker(1)).Masked, IdNumber.Parse(Seed.Worker(2)).Masked], report.Losers.Select(l => l.MaskedId));
        Assert.Equal([Money.FromYuan(-1_000), Money.FromYuan(-50)], report.Losers.Select(l => l.Difference));
        Assert.DoesNotContain(Seed.Worker(3), gainer.MaskedId, StringComparison.Ordinal);
        // The same 5 heads pay 60 today (300) and 80 under the draft (400): 300 − 9,400 and 400 − 10,250.
        Assert.Equal((Money.FromYuan(300), Money.FromYuan(400), Money.FromYuan(-9_100), Money.FromYuan(-9_850)),
            (plan.CurrentIncome, plan.DraftIncome, plan.CurrentBalance, plan.DraftBalance));
        Assert.Equal((Money.FromYuan(300), Money.FromYuan(400), Money.FromYuan(-9_100), Money.FromYuan(-9_850)), report.Income);

        using var workbook = new MemoryStream();
        var at = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await new WhatIf(db).ExportAsync(report, workbook, TestActors.Tester, at, Ct);
        Assert.True(workbook.Length > 1000);
        await using var check = database.NewContext();
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "导出", Ct);
        Assert.Equal(("tester", "方案测算 2024 年", at), (audit.User, audit.Subject, audit.At));
        Assert.Contains("列出会员 3 名", audit.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task WhatIf_WithABadDraft_NamesTheFieldInChinese_AndAMissingPlan(string provider)
    {
        await using var database = await TinyCityAsync(provider);
        await using var db = database.NewContext();
        var scheme = JsonNode.Parse(Draft())!;
        scheme["plans"]![0]!["versions"]![0]!["benefits"]![0]!["brackets"]![0]!["rate"] = "八成";
        var withoutFemale = JsonNode.Parse(Ningbo)!;
        var plans = withoutFemale["plans"]!.AsArray();
        plans.Remove(plans.Single(p => (string?)p!["code"] == "FEMALE"));

        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => new WhatIf(db).RunAsync(scheme.ToJsonString(), 2024, Ct));
        var missing = await Assert.ThrowsAsync<InvalidInputException>(() => new WhatIf(db).RunAsync(withoutFemale.ToJsonString(), 2024, Ct));
        var notJson = await Assert.ThrowsAsync<InvalidInputException>(() => new WhatIf(db).RunAsync("{ \"scheme\": ", 2024, Ct));

        var problem = Assert.Single(bad.Problems);
        Assert.Contains("brackets[0].rate", problem.Path, StringComparison.Ordinal);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.Message);
        Assert.Contains(missing.Problems, p => p.Message.Contains("草案缺少已存方案 NINGBO-STYLE 的计划 FEMALE", StringComparison.Ordinal));
        Assert.NotEmpty(notJson.Problems);
    }

    [Fact]
    public async Task TheVerbs_PrintTheDifferenceAndTheTables_AndExportTheWorkbook()
    {
        await using var database = await TinyCityAsync("sqlite");
        var connection = database.Database.ConnectionString;
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", connection]);
        var draft = Path.Combine(Path.GetTempPath(), $"draft-{Guid.NewGuid():N}.json");
        var workbook = Path.ChangeExtension(draft, ".xlsx");
        await File.WriteAllTextAsync(draft, Draft(), Ct);

        var clean = await Run("recompute", "--year", "2024");
        await using (var db = database.NewContext())
            await db.ClaimLines.Where(l => l.BenefitCode == "DEDUCTIBLE_AID" && l.Amount > Money.Zero).OrderBy(l => l.Id).Take(1)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Amount, Money.FromYuan(250)), Ct);
        var tampered = await Run("recompute", "--member", Seed.Worker(1));
        var whatIf = await Run("whatif", "--scheme", draft, "--year", "2024");
        var exported = await Run("whatif", "--scheme", draft, "--year", "2024", "--xlsx", workbook);

        Assert.True(clean.ExitCode == 0, clean.Stdout + clean.Stderr);
        Assert.Contains("重算理赔 4 件", clean.Stdout);
        Assert.Contains("无差异", clean.Stdout);
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("已存 250.00\t重算 200.00", tampered.Stdout);
        Assert.Contains("原因不明 1 件", tampered.Stdout);
        Assert.True(whatIf.ExitCode == 0, whatIf.Stderr);
        Assert.Contains("以支定收会费", whatIf.Stdout);
        Assert.Contains("2,050.00", whatIf.Stdout);
        // Paid is what is stored: the tampered 250 stands in for 200.
        Assert.Contains("海曙区\t3\t9,450.00\t10,250.00\t800.00\t1\t2", whatIf.Stdout);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.True(new FileInfo(workbook).Length > 1000);
        // Today's 60 and the draft's 80 for the 5 heads, against what each pays.
        Assert.Contains("会费收入：现行 300.00，草案 400.00；收支差额：现行 -9,150.00，草案 -9,850.00", whatIf.Stdout);
        await using (var db = database.NewContext())
            Assert.StartsWith("命令行", (await db.AuditEntries.SingleAsync(a => a.Action == "导出" && a.Subject == "方案测算 2024 年", Ct)).From, StringComparison.Ordinal);
        File.Delete(draft);
        File.Delete(workbook);
    }

    [Fact]
    public void WhatIf_IsForCityWideAdministratorsAndFinanceOnly()
    {
        static UserScope Staff(string role, long? district = null) => new(1, "u", "某区财务", new HashSet<string> { role }, district, null, null);

        Assert.Null(WhatIf.Refusal(Staff(Roles.Finance)));
        Assert.Null(WhatIf.Refusal(Staff(Roles.Admin)));
        Assert.Contains("仅限全市范围", WhatIf.Refusal(Staff(Roles.Finance, district: 7)));
        Assert.Contains("仅限管理员和财务人员", WhatIf.Refusal(Staff(Roles.Clerk)));
    }
}
