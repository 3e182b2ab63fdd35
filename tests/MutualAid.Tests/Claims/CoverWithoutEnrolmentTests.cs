using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Importing;
using MutualAid.Ledger;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Schemes;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using MutualAid.Units;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>
/// 全体会员保障 (长春): the example scheme covers every in-service member aged 16–60 in a unit without an
/// enrolment. Eligible members are paid by the settlement feed and at the desk, with the year's cap kept
/// from their earlier claims, what <c>calc</c> pays for the calendar year; the others are told why, in Chinese.
/// </summary>
public sealed class CoverWithoutEnrolmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Year = new(2025, 1, 1);

    /// <summary>Worker 4: born 1963, so 62 in 2025.</summary>
    private static readonly string Old = TestIds.Person(40, new DateOnly(1963, 3, 1), Gender.Male);

    /// <summary>Worker 5 leaves unit A on this day.</summary>
    private static readonly FakeTimeProvider LeaveDay = new(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));

    private static string SchemeJson => File.ReadAllText(Path.Combine(TestPaths.Schemes, "changchun.json"));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Settlements_OfUnenrolledMembers_PayTheEligible_WithTheYearsCap_AndDenyTheOthersWithTheReason(string provider)
    {
        await using var database = await CityAsync(provider);
        await LeaveAsync(database, 5);
        var old = Settlement("S4", 4, Year.AddDays(130), 30000, 18000, "I10");
        old[1] = Old;
        // Cash self-pay 12000: 3% of the whole, 360.00. Worker 2's 5000.00 is not "above 5000".
        await ImportAsync(database, [Settlement("S1", 1, Year.AddDays(100), 30000, 18000, "I10"), Settlement("S2", 2, Year.AddDays(130), 9000, 4000, "I10")]);
        await ImportAsync(database, [Settlement("S3", 3, Year.AddDays(130), 30000, 18000, "I10"), old,
            Settlement("S5A", 5, Year.AddDays(40), 30000, 18000, "I10"), Settlement("S5B", 5, Year.AddDays(160), 30000, 18000, "I10")]);
        // 200000 pays 10%, 20000; then 400000 would pay 40000, of which the year's 50000 leaves 29640.
        await ImportAsync(database, [Settlement("S6", 1, Year.AddDays(200), 300000, 100000, "C34.1")]);
        await ImportAsync(database, [Settlement("S7", 1, Year.AddDays(280), 500000, 100000, "C34.1")]);

        await using var db = database.NewContext();
        var ids = await db.Members.ToDictionaryAsync(m => m.IdNumber, m => m.Id, Ct);
        long[] covered = [ids[Seed.Worker(1)], ids[Seed.Worker(2)], ids[Seed.Worker(5)]];
        var s5b = await db.Settlements.Where(s => s.SetlId == "S5B").Select(s => s.Id).SingleAsync(Ct);
        var stored = await AssertStoredEqualsCalcAsync(database, SchemeJson,
            covered.Select(m => (m, "HOSPITAL", Year, new DateOnly(2025, 12, 31))),
            c => covered.Contains(c.MemberId) && c.SettlementId != s5b);
        Assert.Equal(["S5A HOSPITAL TIERED 360.00", "S1 HOSPITAL TIERED 360.00", "S2 HOSPITAL no_benefit", "S6 HOSPITAL TIERED 20000.00", "S7 HOSPITAL TIERED 29640.00"], stored);
        Assert.Equal(0, await db.Enrollments.CountAsync(Ct));

        var claims = await db.Claims.Include(c => c.Lines).ToListAsync(Ct);
        var setl = await db.Settlements.ToDictionaryAsync(s => s.Id, s => s.SetlId, Ct);
        var paid = claims.Single(c => setl[c.SettlementId!.Value] == "S1").Lines.Single();
        Assert.StartsWith("全体工会会员保障，无需参保。", paid.Explanation, StringComparison.Ordinal);
        Assert.NotNull(paid.CoverVersionId);
        Assert.Null(paid.EnrollmentId);
        foreach (var (id, why) in new[]
        {
            ("S3", "退休人员不在在职职工住院医疗补贴的保障范围"),
            ("S4", "2025-05-11 年满 62 周岁，在职职工住院医疗补贴限 16–60 周岁"),
            ("S5B", "2025-06-10 不在会员单位"),
        })
        {
            var claim = claims.Single(c => setl[c.SettlementId!.Value] == id);
            Assert.Equal(ClaimState.NothingPayable, claim.State);
            var line = Assert.Single(claim.Lines);
            Assert.Equal(("HOSPITAL", "not_eligible", Money.Zero), (line.PlanCode, line.Reason, line.Amount));
            Assert.Contains(why, line.Explanation, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ManualClaims_OfAnUnenrolledMember_ArePaidAsCalcSays_AndTheIneligibleAreRefusedWithTheReason(string provider)
    {
        await using var database = await CityAsync(provider);
        await LeaveAsync(database, 5);
        await ImportAsync(database, [Settlement("S1", 2, Year.AddDays(100), 30000, 18000, "I10")]);
        var stay = new ClaimEvent
        {
            AdmissionDate = Year.AddDays(180), DischargeDate = Year.AddDays(190), Diagnoses = "I10",
            TotalCost = Money.FromYuan(20000), InsurancePaid = Money.FromYuan(8000), Hospital = "外地医院",
        };
        var injury = new ClaimEvent { Grade = "5" };
        var stayDocuments = TestFiles.Documents("idCard", "dischargeSummary", "invoice", "settlementStatement");
        var injuryDocuments = TestFiles.Documents("idCard", "accidentProof", "disabilityAssessment");
        Claim stayClaim, injuryClaim;
        await using (var db = database.NewContext())
        {
            var desk = new ManualClaims(db, TimeProvider.System);
            stayClaim = await desk.SubmitAsync(new ManualClaimRequest("clerk1", Seed.Worker(2), EventKinds.Hospitalization, Year.AddDays(190), stay, [], stayDocuments), TestActors.Tester, Ct);
            injuryClaim = await desk.SubmitAsync(new ManualClaimRequest("clerk1", Seed.Worker(2), EventKinds.Accident, Year.AddDays(200), injury, ["ACCIDENT"], injuryDocuments), TestActors.Tester, Ct);
        }
        Assert.Equal((Money.FromYuan(360), Money.FromYuan(3000)), (stayClaim.Total, injuryClaim.Total));

        await using (var db = database.NewContext())
        {
            var member = await db.Members.Where(m => m.IdNumber == Seed.Worker(2)).Select(m => m.Id).SingleAsync(Ct);
            // Each plan against calc on its own: a plan covering all members is not mentioned for an event it does not answer.
            var stays = await AssertStoredEqualsCalcAsync(database, SchemeJson, [(member, "HOSPITAL", Year, new DateOnly(2025, 12, 31))],
                c => c.Kind == EventKinds.Hospitalization);
            var injuries = await AssertStoredEqualsCalcAsync(database, SchemeJson, [(member, "ACCIDENT", Year, new DateOnly(2025, 12, 31))],
                c => c.Kind == EventKinds.Accident);
            Assert.Equal(["S1 HOSPITAL TIERED 360.00", $"{stayClaim.Number} HOSPITAL TIERED 360.00", $"{injuryClaim.Number} ACCIDENT INJURY 3000.00"], [.. stays, .. injuries]);
            // Approved by a second person, posted to the plan's expense like any claim: the books still agree.
            await new ReviewClaims(db, TimeProvider.System).ApproveAsync(injuryClaim.Number, TestActors.As("reviewer1"), null, Ct);
            Assert.True((await new LedgerCheck(db).HandleAsync(Ct)).Ok);
            // The council's loss ratios count it under its plan, in the year of the event (no premium, so no ratio).
            var loss = Assert.Single(await new MutualAid.Reports.FundReports(db).LossRatiosAsync(Year.Year, Ct), r => r.Plan == "ACCIDENT");
            Assert.Equal((0, 3000m, (decimal?)null), (loss.Periods, loss.Payouts, loss.LossRatio));
        }

        var refusals = new List<string>();
        (string Who, string[] Plans)[] ineligible = [(Seed.Worker(3), []), (Old, []), (Seed.Worker(5), ["HOSPITAL"])];
        foreach (var (who, plans) in ineligible)
        {
            await using var db = database.NewContext();
            var request = new ManualClaimRequest("clerk1", who, EventKinds.Hospitalization, Year.AddDays(190), stay, plans, stayDocuments);
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new ManualClaims(db, TimeProvider.System).SubmitAsync(request, TestActors.Tester, Ct));
            refusals.Add(Assert.Single(refused.Problems, p => p.Path == "计划").Message);
        }
        Assert.Contains("退休人员不在在职职工住院医疗补贴的保障范围", refusals[0], StringComparison.Ordinal);
        Assert.Contains("2025-07-10 年满 62 周岁，在职职工住院医疗补贴限 16–60 周岁", refusals[1], StringComparison.Ordinal);
        Assert.Contains("不在在职职工住院医疗补贴的保障范围：2025-07-10 不在会员单位", refusals[2], StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal(3, await check.Claims.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheMembersCover_SaysWhoIsCoveredToday_AndEnrollingInSuchAPlanIsRefused(string provider)
    {
        await using var database = await CityAsync(provider);
        await using var db = database.NewContext();
        var ids = await db.Members.ToDictionaryAsync(m => m.IdNumber, m => m.Id, Ct);
        var day = new DateOnly(2025, 6, 1);

        var covered = await MemberCoverage.OnAsync(db, ids[Seed.Worker(1)], day, Ct);
        var retired = await MemberCoverage.OnAsync(db, ids[Seed.Worker(3)], day, Ct);

        Assert.Equal(["HOSPITAL", "ACCIDENT", "FIRE"], covered.Select(c => c.PlanCode));
        Assert.All(covered, c => Assert.Null(c.Refusal));
        Assert.All(retired, c => Assert.StartsWith("退休人员不在", c.Refusal, StringComparison.Ordinal));
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new EnrollmentCommands(db).EnrolAsync(Seed.Worker(1), null, "HOSPITAL", day, 1, false, null, TestActors.Tester, Ct));
        Assert.Contains(refused.Problems, p => p.Message.Contains("为全体工会会员保障，无需参保", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LeavingTheUnit_TwiceAtOnce_IsRecordedOnce(string provider)
    {
        await using var database = await CityAsync(provider);
        long member;
        await using (var db = database.NewContext())
            member = await db.Members.Where(m => m.IdNumber == Seed.Worker(5)).Select(m => m.Id).SingleAsync(Ct);

        var (done, refused) = await database.AtOnceAsync(2, (db, i) => new TransferMember(db, LeaveDay).LeaveAsync(CityClerk, member, "离职", TestActors.As($"clerk{i}"), Ct));

        Assert.Equal(1, done);
        Assert.Contains("不在任何单位", Assert.Single(refused).Message, StringComparison.Ordinal);
        await using var check = database.NewContext();
        var move = await check.MemberTransfers.SingleAsync(Ct);
        Assert.Null(move.ToUnitId);
        Assert.Null((await check.Members.SingleAsync(m => m.Id == member, Ct)).UnitId);
        Assert.Single(await check.AuditEntries.Where(a => a.Action == "离开单位").ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AVersionThatPaidCover_IsNotChanged_NorTakenOverForTheYearItPaid(string provider)
    {
        await using var database = await CityAsync(provider);
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2026, 4, 11), 30000, 18000, "I10")]);
        var changed = JsonNode.Parse(SchemeJson)!;
        changed["plans"]![0]!["versions"]![1]!["benefits"]![0]!["tiers"]![0]!["rate"] = 0.02m;
        var takenOver = JsonNode.Parse(SchemeJson)!;
        var next = takenOver["plans"]![0]!["versions"]![1]!.DeepClone();
        next["effectiveFrom"] = "2026-01-01";
        takenOver["plans"]![0]!["versions"]!.AsArray().Add(next);
        async Task<LoadSchemeResult> LoadAsync(JsonNode scheme)
        {
            await using var db = database.NewContext();
            return await new LoadScheme(db, TimeProvider.System).HandleAsync(scheme.ToJsonString(), Ct);
        }

        var change = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(changed));
        var takeOver = await Assert.ThrowsAsync<InvalidInputException>(() => LoadAsync(takenOver));

        Assert.Contains(change.Problems, p => p.Path == "HOSPITAL 2025-01-01" && p.Message.StartsWith("已有 1 个理赔事件使用该版本，不能修改", StringComparison.Ordinal));
        Assert.Contains(takeOver.Problems, p => p.Path == "HOSPITAL 2026-01-01" && p.Message.StartsWith("2026年已按 2025-01-01 版本给付", StringComparison.Ordinal));
        // A version for a year not yet claimed is taken.
        next["effectiveFrom"] = "2027-01-01";
        Assert.Equal(["HOSPITAL 2027-01-01"], (await LoadAsync(takenOver)).Added);
    }

    [Fact]
    public async Task Cli_LeavesTheUnitOnce_AndSchemeCheckSaysWhichPlansCoverAllMembers()
    {
        await using var database = await CityAsync("sqlite");
        string[] leave = ["member", "leave", Seed.Worker(5), "--reason", "离职", "--by", "clerk1", "--db", database.Database.ConnectionString];

        var first = await CliRunner.RunAsync(leave);
        var again = await CliRunner.RunAsync(leave);
        var check = await CliRunner.RunAsync("scheme", "check", Path.Combine(TestPaths.Schemes, "changchun.json"));

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("不在任何单位", again.Stderr, StringComparison.Ordinal);
        await using (var db = database.NewContext())
            Assert.Null((await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(5), Ct)).UnitId);
        Assert.True(check.ExitCode == 0, check.Stderr);
        Assert.Contains("HOSPITAL 在职职工住院医疗补贴（全体工会会员保障，无需参保：16–60 周岁，在会员单位）", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemeReader_RefusesCoverWithEnrolmentTerms_EachAtItsPath()
    {
        const string Plan = """
            { "scheme": "S", "plans": [ { "code": "P", "waitingDays": 30, "maxUnits": 2, "cover": { "basis": "allMembers", "age": { "min": 60, "max": 16 }, "inUnit": "yes" },
              "versions": [ { "effectiveFrom": "2025-01-01", "premium": 40, "benefits": [
                { "code": "B", "kind": "lumpSum", "events": ["accident"], "amount": 100 } ] } ] } ] }
            """;
        var problems = Assert.Throws<InvalidInputException>(() => SchemeReader.Parse(Plan)).Problems;

        Assert.Equal(
            ["plans[0].cover.age.max", "plans[0].cover.inUnit", "plans[0].maxUnits", "plans[0].versions", "plans[0].waitingDays"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("全体会员保障的计划不收保费", StringComparison.Ordinal));
        var unknown = Assert.Throws<InvalidInputException>(() => SchemeReader.Parse(Plan.Replace("\"allMembers\"", "\"everyone\"", StringComparison.Ordinal)));
        Assert.Contains(unknown.Problems, p => p.Path == "plans[0].cover.basis");
        Assert.Null(SchemeReader.Parse(SchemeJson.Replace("\"basis\": \"allMembers\"", "\"basis\": \"enrolment\"", StringComparison.Ordinal)).Plans[0].Cover);
        Assert.Equal(new CoverRule(16, 60, true), SchemeReader.Parse(SchemeJson).Plans[0].Cover);
    }

    private static UserScope CityClerk => new(1, "clerk1", "经办", new HashSet<string> { Roles.Clerk }, null, null, null);

    private static async Task LeaveAsync(TestDatabase database, int worker)
    {
        await using var db = database.NewContext();
        var member = await db.Members.Where(m => m.IdNumber == Seed.Worker(worker)).Select(m => m.Id).SingleAsync(Ct);
        await new TransferMember(db, LeaveDay).LeaveAsync(CityClerk, member, "离职", TestActors.As("clerk1"), Ct);
    }

    /// <summary>The Changchun scheme, unit A and its roster without any enrolment: workers 1, 2 and 5 in service, 3 retired, 4 aged 62.</summary>
    private static async Task<TestDatabase> CityAsync(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        await new LoadScheme(db, new FakeTimeProvider()).HandleAsync(SchemeJson, Ct);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", Ct);
        await org.AddDistrictAsync("330203", "海曙区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(Seed.UnitA, "甲公司", "330203", "民企", 5, 2), Ct);
        var file = RosterFiles.Write("csv", ["序号", "姓名", "身份证号", "手机号", "会员类别"],
        [
            [1, "职工1", Seed.Worker(1), "13800000001", "在职"],
            [2, "职工2", Seed.Worker(2), "13800000002", "在职"],
            [3, "职工3", Seed.Worker(3), "13800000003", "退休"],
            [4, "职工4", Old, "13800000004", "在职"],
            [5, "职工5", Seed.Worker(5), "13800000005", "在职"],
        ]);
        var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(Seed.UnitA), TestActors.Tester, Ct);
        Assert.True(report.Written, string.Join("; ", report.Problems));
        return database;
    }
}
