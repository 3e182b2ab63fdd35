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

    [Fact]
    public async Task CalcExplain_OnVersionTwoRules_SaysEachStepInChinese()
    {
        var json = new CaseBuilder()
            .Plan("INPATIENT", """
                { "code": "R", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPayInScope", "brackets": [ { "from": 0, "rate": 0.7 } ],
                  "admissionOrdinal": { "min": 1 }, "insuranceTypes": ["employee"], "minPayout": 20 }
                """)
            .Plan("CRITICAL", """
                { "code": "CONDOLENCE", "kind": "lumpSum", "events": ["diagnosis"], "amount": 1000, "inWaitingPeriod": { "afterDays": 30 }, "terminatesCover": true },
                { "code": "S1", "kind": "lumpSum", "events": ["hospitalization"], "diagnosisPrefixes": ["D0"], "amount": 3000 },
                { "code": "S2", "kind": "lumpSum", "events": ["hospitalization"], "procedures": ["surgery"], "after": "S1", "amount": 4000 }
                """, "\"waitingDays\": 89")
            .CombinedCap("""{ "plans": ["INPATIENT", "CRITICAL"], "cap": 5000 }""")
            .Member("M1", insuranceType: "employee").Member("M2")
            .Enroll("M1", "INPATIENT", "2024-01-01", "2024-12-31")
            .Enroll("M1", "CRITICAL", "2024-01-01", "2024-12-31")
            .Enroll("M2", "CRITICAL", "2023-01-01", "2023-12-31")
            .Enroll("M2", "CRITICAL", "2024-01-01", "2024-12-31")
            .Stay("E1", "M1", "2024-01-10", 10)
            .Event("""{ "id": "E2", "member": "M1", "kind": "diagnosis", "date": "2024-02-15" }""")
            .Stay("E3", "M1", "2024-06-01", 1000)
            .Event("""{ "id": "E4", "member": "M2", "kind": "hospitalization", "date": "2024-05-10", "diagnoses": ["D05.1"], "procedures": ["surgery"] }""")
            .ToJson();
        var file = await WriteAsync(json);

        var run = await CliRunner.RunAsync("calc", "--explain", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("医保类别：城镇职工基本医疗保险；本期第 1 次获付住院，适用第 1 次及以上住院的待遇", run.Stdout);
        Assert.Contains("单笔最低给付 20.00 元，7.00 元低于最低额，不予给付", run.Stdout);
        Assert.Contains("不予给付——应付金额低于单笔最低给付额", run.Stdout);
        Assert.Contains("等待期 89 天内的第 45 天（已过生效后 30 天），适用等待期内的待遇", run.Stdout);
        Assert.Contains("合并封顶（INPATIENT、CRITICAL）5,000.00 元，本期已付 0.00 元，未超", run.Stdout);
        Assert.Contains("给付后本计划本期保障责任终止；本次给付 1,000.00 元", run.Stdout);
        Assert.Contains("本计划本期保障责任已终止", run.Stdout);
        Assert.Contains("治疗：手术", run.Stdout);
        Assert.Contains("本次治疗含手术；前一阶段已给付；定额 4,000.00 元", run.Stdout);
    }

    private static async Task<string> WriteAsync(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mutualaid-case-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        return file;
    }
}
