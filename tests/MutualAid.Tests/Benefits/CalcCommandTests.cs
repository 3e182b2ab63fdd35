namespace MutualAid.Tests.Benefits;

public sealed class CalcCommandTests
{
    [Fact]
    public async Task Calc_WhenFileMissing_ExitsTwoWithReasonAndNoOutput()
    {
        var run = await CliRunner.RunAsync("calc", Path.Combine(Path.GetTempPath(), "no-such-case.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("无法读取", run.Stderr);
    }

    [Fact]
    public async Task Calc_WhenJsonMalformed_ExitsTwoNamingTheLine()
    {
        var file = await WriteAsync("{ \"scheme\": ");

        var run = await CliRunner.RunAsync("calc", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("JSON", run.Stderr);
    }

    [Fact]
    public async Task Calc_WhenCaseInvalid_ListsEveryProblemWithItsPath()
    {
        var json = new CaseBuilder()
            .Plan("P", """{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 1.5 } ] }""")
            .Member("M1")
            .Enroll("M1", "NOPE", "2024-01-01", "2024-12-31")
            .ToJson();
        var file = await WriteAsync(json);

        var run = await CliRunner.RunAsync("calc", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("scheme.plans[0].versions[0].benefits[0].brackets[0].rate", run.Stderr);
        Assert.Contains("enrollments[0].plan", run.Stderr);
    }

    [Fact]
    public async Task CalcExplain_OnValidCase_PrintsTheStepsInChinese()
    {
        var json = new CaseBuilder()
            .Plan("P", """{ "code": "B", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "annualCap": 20000, "brackets": [ { "from": 1000, "to": 5000, "rate": 0.3 }, { "from": 5000, "to": 20000, "rate": 0.4 }, { "from": 20000, "rate": 0.5 } ] }""")
            .Member("M1")
            .Enroll("M1", "P", "2024-01-01", "2024-12-31")
            .Stay("E1", "M1", "2024-03-10", 30000)
            .Stay("E2", "M1", "2024-04-10", 30000)
            .ToJson();
        var file = await WriteAsync(json);

        var run = await CliRunner.RunAsync("calc", "--explain", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("政策范围内个人自付 30,000.00 元：1,000.00–5,000.00 元段 4,000.00 × 30% = 1,200.00", run.Stdout);
        Assert.Contains("年度封顶 20,000.00 元，已付 12,200.00 元，12,200.00 元减为 7,800.00 元；本次给付 7,800.00 元", run.Stdout);
        Assert.Contains("合计给付 20,000.00 元", run.Stdout);
    }

    private static async Task<string> WriteAsync(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mutualaid-case-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        return file;
    }
}
