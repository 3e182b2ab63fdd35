using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Ledger;
using MutualAid.ModelWorkers;
using MutualAid.Organisation;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Schemes;
using MutualAid.Tests.Claims;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.ModelWorkers;

/// <summary>
/// 劳模医疗补助: a clerk records the title (scoped, once), the union gives the plan of the level and pays its
/// premium, the subsidy is claimed from settlements and at the desk, paid through a batch, the books agreeing.
/// </summary>
public sealed class ModelWorkerTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UserScope Staff(string name, string role, long? district = null) =>
        new(0, name, name, new HashSet<string> { role }, district, null, null);

    private static readonly UserScope Clerk1 = Staff("clerk1", Roles.Clerk);

    /// <summary>Unit A's workers 1–5 in INPATIENT, paid, with bank cards; the model workers' scheme loaded beside Ningbo's.</summary>
    private static async Task<TestDatabase> CityAsync(string provider)
    {
        var database = await ClaimSeed.PaidCityAsync(provider);
        await using var db = database.NewContext();
        foreach (var member in await db.Members.ToListAsync(Ct))
            (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
        await db.SaveChangesAsync(Ct);
        await new LoadScheme(db, Clock).HandleAsync(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "xian-model-worker.json"), Ct), Ct);
        return database;
    }

    private static async Task<T> WithAsync<T>(TestDatabase database, Func<MutualAid.Data.MutualAidDbContext, Task<T>> act)
    {
        await using var db = database.NewContext();
        return await act(db);
    }

    private static Task<long> MemberIdAsync(TestDatabase database, int worker) =>
        WithAsync(database, db => db.Members.Where(m => m.IdNumber == Seed.Worker(worker)).Select(m => m.Id).SingleAsync(Ct));

    private static async Task<ModelWorkerTitle> RecordAsync(TestDatabase database, int worker, string level, UserScope? by = null) =>
        await WithAsync(database, async db => await new RecordModelWorker(db, Clock).HandleAsync(by ?? Clerk1, await MemberIdAsync(database, worker), level, $"{level}劳动模范", 2015,
            TestActors.As((by ?? Clerk1).UserName), Ct));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ATitle_IsRecordedByAClerkInScope_Once_AndAudited(string provider)
    {
        await using var database = await CityAsync(provider);
        var jiangbei = await WithAsync(database, async db =>
        {
            await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
            return await db.Districts.Where(d => d.Code == "330205").Select(d => d.Id).SingleAsync(Ct);
        });
        var worker1 = await MemberIdAsync(database, 1);

        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db =>
            new RecordModelWorker(db, Clock).HandleAsync(Clerk1, worker1, "县级", " ", 1900, TestActors.As("clerk1"), Ct)));
        var notClerk = await Assert.ThrowsAsync<InvalidInputException>(() => RecordAsync(database, 1, "全国", Staff("reviewer1", Roles.Reviewer)));
        var outside = await Assert.ThrowsAsync<InvalidInputException>(() => RecordAsync(database, 1, "全国", Staff("jiangbei", Roles.Clerk, jiangbei)));
        var (done, refused) = await database.AtOnceAsync(2, (db, _) =>
            new RecordModelWorker(db, Clock).HandleAsync(Clerk1, worker1, "全国", "全国劳动模范", 2015, TestActors.As("clerk1"), Ct));
        var again = await Assert.ThrowsAsync<InvalidInputException>(() => RecordAsync(database, 1, "市级"));

        Assert.Equal(["级别", "称号", "授予年份"], bad.Problems.Select(p => p.Path[(p.Path.LastIndexOf('：') + 1)..]));
        Assert.Contains("只有经办人员", Assert.Single(notClerk.Problems).Message);
        Assert.Contains("不在您的范围内", Assert.Single(outside.Problems).Message);
        Assert.Equal(1, done);
        Assert.Contains("不能重复登记", Assert.Single(refused).Problems[0].Message);
        Assert.Contains("已由 clerk1", Assert.Single(again.Problems).Message);
        await using var check = database.NewContext();
        var stored = await check.ModelWorkers.SingleAsync(Ct);
        Assert.Equal((worker1, ModelWorkerLevel.National, "全国劳动模范", 2015, "clerk1"), (stored.MemberId, stored.Level, stored.Title, stored.Year, stored.RecordedBy));
        Assert.True(await check.Members.Where(m => m.Id == worker1).Select(m => m.ModelWorker).SingleAsync(Ct));
        Assert.Equal(MemberType.InService, await check.Members.Where(m => m.Id == worker1).Select(m => m.Type).SingleAsync(Ct));
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "登记劳模", Ct);
        Assert.Contains("全国 全国劳动模范（2015 年）", audit.Detail);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheSubsidy_GivenByTheUnion_IsClaimedFromSettlementsAndAtTheDesk_ByLevel_AndPaidThroughABatch(string provider)
    {
        await using var database = await CityAsync(provider);
        var unrecorded = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db =>
            new EnrollmentCommands(db, Clock).EnrolAsync(Seed.Worker(3), null, "MW_CITY", Seed.Start, 1, gifted: true, null, TestActors.As("clerk1"), Ct)));
        Assert.Contains("不能参加市级劳模医疗补助", Assert.Single(unrecorded.Problems).Message);
        await RecordAsync(database, 1, "全国");
        await RecordAsync(database, 2, "省部级");
        // The plan is found by its code among the two schemes, and given by the union.
        await WithAsync(database, db => new EnrollmentCommands(db, Clock).EnrolAsync(Seed.Worker(1), null, "MW_NATIONAL", Seed.Start, 1, gifted: true, null, TestActors.As("clerk1"), Ct));
        await WithAsync(database, db => new EnrollmentCommands(db, Clock).EnrolAsync(Seed.Worker(2), null, "MW_PROVINCIAL", Seed.Start, 1, gifted: true, null, TestActors.As("clerk1"), Ct));
        var owed = await WithAsync(database, db => new PremiumDesk(db).NoticeAsync(PayerRef.Union, Seed.Start, Ct));
        Assert.Equal(1600m, owed.Total);
        await WithAsync(database, db => new PremiumDesk(db).RecordAsync(PayerRef.Union, Seed.Start, Money.FromYuan(owed.Outstanding), new DateOnly(2024, 4, 20), "GH-MW-2024", TestActors.As("finance1"), Ct));

        // The same stay of each: 10,000 of which 7,000 insured; national pays 90% of 3,000, provincial 80%.
        await ClaimSeed.ImportAsync(database, [ClaimSeed.Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10"), ClaimSeed.Settlement("S2", 2, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        var stay = new ClaimEvent { AdmissionDate = new DateOnly(2024, 6, 20), DischargeDate = new DateOnly(2024, 6, 25), Diagnoses = "I25.1", TotalCost = Money.FromYuan(5000), InsurancePaid = Money.FromYuan(3000) };
        var desk = await WithAsync(database, db => new ManualClaims(db, Clock).SubmitAsync(new ManualClaimRequest("clerk1", Seed.Worker(1), EventKinds.Hospitalization, new DateOnly(2024, 6, 25), stay, ["MW_NATIONAL"],
            [new("idCard", "身份证.jpg", TestFiles.Jpeg), new("dischargeSummary", "出院小结.pdf", TestFiles.Pdf), new("invoice", "发票.png", TestFiles.Png), new("expenseList", "费用清单.pdf", TestFiles.Pdf)], Scope: Clerk1),
            TestActors.As("clerk1"), Ct));

        await using (var db = database.NewContext())
        {
            var subsidy = await db.ClaimLines.Where(l => l.PlanCode.StartsWith("MW_") && l.BenefitCode != null).Join(db.Claims, l => l.ClaimId, c => c.Id, (l, c) => new { c.MemberId, c.Source, l.PlanCode, l.Amount })
                .ToListAsync(Ct);
            var worker1 = await MemberIdAsync(database, 1);
            Assert.Equal(Money.FromYuan(2700), subsidy.Single(s => s.MemberId == worker1 && s.Source == ClaimSource.Automatic).Amount);
            Assert.Equal(Money.FromYuan(2400), subsidy.Single(s => s.MemberId != worker1).Amount);
            Assert.Equal(Money.FromYuan(1800), subsidy.Single(s => s.Source == ClaimSource.Manual).Amount);
            Assert.Equal(ClaimState.PendingReview, (await db.Claims.SingleAsync(c => c.Id == desk.Id, Ct)).State);
        }
        // Every subsidy claim is seen by a second person (autoApproveUpTo 0), then paid through the usual batch.
        var review = await WithAsync(database, db => db.Claims.Where(c => c.State == ClaimState.PendingReview).Select(c => c.Id).ToListAsync(Ct));
        foreach (var id in review)
        {
            var day = await WithAsync(database, db => db.Claims.Where(c => c.Id == id).Select(c => c.EventDate).SingleAsync(Ct));
            await WithAsync(database, db => new ReviewClaims(db, Clock).ApproveAsync(Claim.NumberOf(day, id), TestActors.As("reviewer1"), "劳模证书核对无误", Ct));
        }
        var batch = (await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithAsync(database, db => new PaymentDesk(db, Clock).ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        await WithAsync(database, db => new PaymentDesk(db, Clock).SendAsync(batch.Code, TestActors.As("finance1"), Ct));
        var answers = RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [.. batch.Payments.Select(p => new object?[] { batch.Code, p.LineNo, "success", null })]);
        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(answers, TestActors.Tester, Ct));

        await using var check = database.NewContext();
        Assert.Equal(ClaimState.Paid, (await check.Claims.SingleAsync(c => c.Id == desk.Id, Ct)).State);
        var given = await check.Enrollments.Where(e => e.PlanCode.StartsWith("MW_")).ToListAsync(Ct);
        Assert.Equal(2, given.Count(e => e.Gifted && e.Status == EnrollmentStatus.Active && e.Shares.Union == e.Premium));
        var books = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
    }

    [Fact]
    public async Task TheCli_RecordsATitle_AsTheClerksScopeAllows()
    {
        await using var database = await CityAsync("sqlite");
        await using (var db = database.NewContext())
        {
            var admin = UserAdmin.For(db);
            await admin.AddAsync(new UserInput("clerk1", "一号经办", Roles.Clerk, "330203", null, null), "Demo2026!x", Ct);
            await admin.AddAsync(new UserInput("reviewer1", "一号复核", Roles.Reviewer, null, null, null), "Demo2026!x", Ct);
        }
        Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync([.. args, "--db", database.Database.ConnectionString]);

        var recorded = await Run("member", "model-worker", Seed.Worker(1), "--level", "省部级", "--title", "浙江省劳动模范", "--year", "2019", "--by", "clerk1", "--json");
        var twice = await Run("member", "model-worker", Seed.Worker(1), "--level", "全国", "--title", "全国劳动模范", "--year", "2020", "--by", "clerk1");
        var notClerk = await Run("member", "model-worker", Seed.Worker(2), "--level", "市级", "--title", "宁波市劳动模范", "--year", "2020", "--by", "reviewer1");

        Assert.True(recorded.ExitCode == 0, recorded.Stderr);
        Assert.Equal("省部级", JsonDocument.Parse(recorded.Stdout).RootElement.GetProperty("levelName").GetString());
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("不能重复登记", twice.Stderr);
        Assert.Equal(2, notClerk.ExitCode);
        Assert.Contains("只有经办人员可以登记劳模", notClerk.Stderr);
        await using var check = database.NewContext();
        Assert.Equal(ModelWorkerLevel.Provincial, (await check.ModelWorkers.SingleAsync(Ct)).Level);
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == "登记劳模" && a.User == "clerk1" && a.From != null && a.From.StartsWith("命令行"), Ct));
    }
}
