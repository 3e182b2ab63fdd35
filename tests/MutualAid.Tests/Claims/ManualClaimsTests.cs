using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Notifications;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>Claims taken at a service point: complete before they are taken, computed by the same rules, reviewed by a second person.</summary>
public sealed class ManualClaimsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 9, 2, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static byte[] Pdf => TestFiles.Pdf;

    public static byte[] Jpeg => TestFiles.Jpeg;

    public static byte[] Png => TestFiles.Png;

    /// <summary>What an in-patient stay on INPATIENT asks for: ID card, discharge summary, invoice, expense list.</summary>
    private static List<DocumentFile> StayDocuments() =>
    [
        new("idCard", "身份证.jpg", Jpeg), new("dischargeSummary", "出院小结.pdf", Pdf),
        new("invoice", "发票.png", Png), new("expenseList", "费用清单.pdf", Pdf),
    ];

    private static ClaimEvent Stay(DateOnly discharge, decimal total = 10000, decimal insurancePaid = 7000, string diagnoses = "I10") => new()
    {
        AdmissionDate = discharge.AddDays(-5),
        DischargeDate = discharge,
        Diagnoses = diagnoses,
        TotalCost = Money.FromYuan(total),
        InsurancePaid = Money.FromYuan(insurancePaid),
    };

    private static ManualClaimRequest Request(ClaimEvent stay, IReadOnlyList<DocumentFile>? documents = null, int worker = 1, string clerk = "clerk1") =>
        new(clerk, Seed.Worker(worker), EventKinds.Hospitalization, stay.DischargeDate!.Value, stay, [], documents ?? StayDocuments());

    /// <summary>Workers 1…5 of unit A in the plans, and the women also in FEMALE when asked; all paid.</summary>
    private static async Task<TestDatabase> EnrolledAsync(string provider, string plans = "INPATIENT", bool women = false)
    {
        if (!women)
            return await PaidCityAsync(provider, plans);
        var database = await Seed.CityAsync(provider);
        Assert.True((await Seed.RosterAsync(database, plans: plans)).Written);
        await EnrolAsync(database, "FEMALE", Seed.Workers().Where((_, i) => i % 2 == 0));
        await PayAllAsync(database);
        return database;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_WithEveryDocument_IsComputedStoredAndWaitsForASecondPerson(string provider)
    {
        await using var database = await EnrolledAsync(provider);

        await using (var db = database.NewContext())
            await new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, 20))), TestActors.Tester, Ct);

        await using var check = database.NewContext();
        var claim = await check.Claims.Include(c => c.Lines).Include(c => c.Documents).SingleAsync(Ct);
        // 3,000 personal share: 2,400 at 80% and the 200 once a period; a manual claim is never approved by rule.
        Assert.Equal((ClaimState.PendingReview, ClaimSource.Manual, "clerk1", Money.FromYuan(2600)), (claim.State, claim.Source, claim.EnteredBy, claim.Total));
        Assert.Equal(Clock.GetUtcNow().UtcDateTime.AddDays(7), claim.DueBy);
        Assert.Equal(Money.FromYuan(3000), claim.Details!.TotalCost - claim.Details.InsurancePaid);
        Assert.Equal(["dischargeSummary", "expenseList", "idCard", "invoice"], claim.Documents.Select(d => d.Type).Order());
        var png = claim.Documents.Single(d => d.Type == "invoice");
        Assert.Equal(("image/png", Png.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Png))), (png.ContentType, png.Size, png.Sha256));
        var notice = await check.Notices.SingleAsync(Ct);
        Assert.Equal((NoticeTopic.ClaimSubmitted, "13800000001"), (notice.Topic, notice.Phone));
        Assert.Contains($"理赔 {claim.Number} 已受理，应付 2,600.00 元", notice.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_MissingADocument_IsRefusedNamingItAndWritesNothing(string provider)
    {
        await using var database = await EnrolledAsync(provider);
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, 20)), StayDocuments()[..3]), TestActors.Tester, Ct));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("材料", problem.Path);
        Assert.StartsWith("缺少费用清单（expenseList），在职职工住院医疗互助保障要求提供", problem.Message);
        await using var check = database.NewContext();
        Assert.Equal((0, 0, 0), (await check.Claims.CountAsync(Ct), await check.ClaimDocuments.CountAsync(Ct), await check.Notices.CountAsync(Ct)));
    }

    [Fact]
    public async Task Submit_FilesOfTheWrongKindOrSize_AreRefusedEachNamed()
    {
        await using var database = await EnrolledAsync("sqlite");
        await using var db = database.NewContext();
        List<DocumentFile> files =
        [
            .. StayDocuments(),
            new("invoice", "发票.jpg", "not an image"u8.ToArray()),
            new("invoice", "大发票.pdf", [.. Pdf, .. new byte[ClaimDocument.MaxBytes]]),
            new("invoice", "空.pdf", []),
            new("invoice", "改名.png", Pdf),
            new("photo", "照片.jpg", Jpeg),
        ];

        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, 20)), files), TestActors.Tester, Ct));

        Assert.Equal(
        [
            "材料 发票.jpg: 只收 PDF、JPEG、PNG 文件",
            "材料 大发票.pdf: 文件 10.0 MB，超过 10 MB 上限",
            "材料 空.pdf: 文件为空",
            "材料 改名.png: 文件内容是 application/pdf，与扩展名“.png”不符",
        ], error.Problems.Take(4).Select(p => p.ToString()));
        Assert.StartsWith("材料 照片.jpg: 未知的材料类型“photo”", error.Problems[4].ToString());
    }

    [Theory]
    [InlineData(10000, 12000, null, "insurancePaid", "统筹支付 12,000.00 大于医疗总费用 10,000.00")]
    [InlineData(10000, 7000, 2500, "selfPay", "个人负担 2,500.00 应等于医疗总费用减统筹支付 3,000.00")]
    [InlineData(10000, 7000, -1, "selfPay", "金额 -1.00 不能为负数")]
    [InlineData(0, 0, null, "totalCost", "须填写医疗总费用")]
    public async Task Submit_FiguresThatDoNotAddUp_AreRefusedNamingTheField(decimal total, decimal insurancePaid, int? selfPay, string field, string message)
    {
        await using var database = await EnrolledAsync("sqlite");
        await using var db = database.NewContext();
        var stay = Stay(new DateOnly(2024, 8, 20), total, insurancePaid);
        stay = new ClaimEvent
        {
            AdmissionDate = stay.AdmissionDate, DischargeDate = stay.DischargeDate, TotalCost = stay.TotalCost, InsurancePaid = stay.InsurancePaid,
            SelfPay = selfPay is { } s ? Money.FromYuan(s) : null,
        };

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new ManualClaims(db, Clock).SubmitAsync(Request(stay), TestActors.Tester, Ct));

        Assert.Contains(error.Problems, p => p.Path == field && p.Message == message);
        Assert.Equal(0, await db.Claims.CountAsync(Ct));
    }

    [Fact]
    public async Task Submit_AStayTheFeedAlreadyCarries_IsRefused()
    {
        await using var database = await EnrolledAsync("sqlite");
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 8, 20), 10000, 7000, "I10")]);
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, 20))), TestActors.Tester, Ct));

        Assert.Equal("这次住院已有医保结算 S1，按自动理赔办理，不能重复申请", Assert.Single(error.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submit_ADiagnosis_AsksForTheChecklistOfEveryPlanItIsFor(string provider)
    {
        await using var database = await EnrolledAsync(provider, "INPATIENT,CRITICAL", women: true);
        var diagnosis = new ClaimEvent { Diagnoses = "C50.9" };
        var day = new DateOnly(2024, 8, 15);
        var request = new ManualClaimRequest("clerk1", Seed.Worker(1), EventKinds.Diagnosis, day, diagnosis, [],
            [new("idCard", "身份证.jpg", Jpeg), new("diagnosisCertificate", "诊断证明.pdf", Pdf)]);
        await using var db = database.NewContext();

        // CRITICAL also asks for the discharge summary.
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new ManualClaims(db, Clock).SubmitAsync(request, TestActors.Tester, Ct));
        Assert.StartsWith("缺少出院小结（dischargeSummary），特种重病医疗互助保障要求提供", Assert.Single(error.Problems).Message);

        var claim = await new ManualClaims(db, Clock).SubmitAsync(request with { Documents = [.. request.Documents, new("dischargeSummary", "小结.pdf", Pdf)] }, TestActors.Tester, Ct);
        // 10,000 critical-illness lump sum and 8,000 female workers' lump sum; INPATIENT does not answer a diagnosis.
        Assert.Equal(Money.FromYuan(18000), claim.Total);
        Assert.Equal(["CRITICAL", "FEMALE"], claim.Lines.Select(l => l.PlanCode).Order());

        // Named plans only: FEMALE alone asks for less, and CRITICAL's lump sum stays unpaid.
        var second = await new ManualClaims(db, Clock).SubmitAsync(request with { IdNumber = Seed.Worker(3), Plans = ["FEMALE"] }, TestActors.Tester, Ct);
        Assert.Equal(("FEMALE", Money.FromYuan(8000)), (Assert.Single(second.Lines).PlanCode, second.Total));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Returned_ThenCorrected_IsComputedAgain_AndReviewedByNeitherClerk(string provider)
    {
        await using var database = await EnrolledAsync(provider);
        string number;
        await using (var db = database.NewContext())
            number = (await new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, 20))), TestActors.Tester, Ct)).Number;
        await using (var db = database.NewContext())
            await new ReviewClaims(db, Clock).ReturnAsync(number, TestActors.As("reviewer1"), "B03", "发票金额与清单不符", Ct);

        await using (var db = database.NewContext())
        {
            var corrected = await new ManualClaims(db, Clock).CorrectAsync(number, "clerk2", Stay(new DateOnly(2024, 8, 20), total: 12000),
                [new("invoice", "更正发票.jpg", Jpeg)], "补交更正后的发票", TestActors.Tester, Ct);
            // 5,000: 2,400 + 200 at 10% + the 200 once a period, computed as if the first figures had never been.
            Assert.Equal((ClaimState.PendingReview, Money.FromYuan(2800)), (corrected.State, corrected.Total));
        }

        foreach (var clerk in new[] { "clerk1", "clerk2" })
        {
            await using var db = database.NewContext();
            var refused = await Assert.ThrowsAsync<InvalidInputException>(() => new ReviewClaims(db, Clock).ApproveAsync(number, TestActors.As(clerk), null, Ct));
            Assert.Contains("须由另一人复核", Assert.Single(refused.Problems).Message);
        }
        await using (var db = database.NewContext())
            await new ReviewClaims(db, Clock).ApproveAsync(number, TestActors.As("reviewer1"), "更正后无误", Ct);

        await using var check = database.NewContext();
        var claim = await check.Claims.Include(c => c.Documents).Include(c => c.Lines).SingleAsync(Ct);
        Assert.Equal(ClaimState.Approved, claim.State);
        Assert.Equal(5, claim.Documents.Count);
        Assert.Equal(Money.FromYuan(2800), claim.Lines.Aggregate(Money.Zero, (sum, l) => sum + l.Amount));
        Assert.Equal(
            [(ClaimState.PendingReview, "clerk1"), (ClaimState.Returned, "reviewer1"), (ClaimState.PendingReview, "clerk2"), (ClaimState.Approved, "reviewer1")],
            claim.Transitions.OrderBy(t => t.Id).Select(t => (t.To, t.By)));
        Assert.Equal(
            [NoticeTopic.ClaimSubmitted, NoticeTopic.ClaimReturned, NoticeTopic.ClaimSubmitted, NoticeTopic.ClaimApproved],
            await check.Notices.OrderBy(n => n.Id).Select(n => n.Topic).ToListAsync(Ct));
    }

    [Fact]
    public async Task Cli_SubmitsAClaimWithItsFiles_AndSendsItsSms()
    {
        await using var database = await EnrolledAsync("sqlite");
        var connection = database.Database.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("mutualaid-docs").FullName;
        var docs = StayDocuments().SelectMany(d =>
        {
            var path = Path.Combine(folder, d.FileName);
            File.WriteAllBytes(path, d.Content);
            return new[] { "--doc", $"{d.Type}={path}" };
        }).ToArray();
        string[] stay = ["claims", "submit", Seed.Worker(1), "--kind", "hospitalization", "--admission", "2024-08-15", "--discharge", "2024-08-20",
            "--total-cost", "10000", "--insurance-paid", "7000", "--by", "clerk1", "--db", connection];
        var sms = Path.Combine(folder, "sms.jsonl");

        var stranger = await CliRunner.RunAsync([.. stay, .. docs]);
        await TestActors.AddClerksAsync(database, "clerk1");
        var missing = await CliRunner.RunAsync([.. stay, .. docs[..6]]);
        var submitted = await CliRunner.RunAsync([.. stay, .. docs, "--json"]);
        var send = await CliRunner.RunAsync("notices", "send", "--sender", $"file:{sms}", "--db", connection);
        var again = await CliRunner.RunAsync("notices", "send", "--sender", $"file:{sms}", "--db", connection);

        Assert.Equal(2, stranger.ExitCode);
        Assert.Contains("“clerk1”不是已登记且未停用的用户", stranger.Stderr);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("材料: 缺少费用清单（expenseList）", missing.Stderr);
        Assert.Equal(0, submitted.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(submitted.Stdout).RootElement;
        Assert.Equal(("PendingReview", 2600m), (json.GetProperty("state").GetString(), json.GetProperty("total").GetDecimal()));
        Assert.Equal(0, send.ExitCode);
        Assert.Contains("已发送 1 条", send.Stdout);
        Assert.Contains("已发送 0 条", again.Stdout);
        Assert.Contains(json.GetProperty("number").GetString()!, Assert.Single(await File.ReadAllLinesAsync(sms, Ct)));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Twelve stays of one member taken at once, each in its own connection: the once-a-period
    /// sums (200 on INPATIENT, 10,000 on CRITICAL) are paid once, as if the claims came one by one.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CapsHold_WhenManyClaimsOfOneMemberRunAtOnce(string provider)
    {
        await using var database = await EnrolledAsync(provider, "INPATIENT,CRITICAL");
        List<DocumentFile> documents = [.. StayDocuments(), new("diagnosisCertificate", "诊断证明.pdf", Pdf)];
        using var start = new ManualResetEventSlim();

        var claims = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            start.Wait(Ct);
            return await new ManualClaims(db, Clock).SubmitAsync(Request(Stay(new DateOnly(2024, 8, i), diagnoses: "C50.9"), documents, worker: 2), TestActors.Tester, Ct);
        }, Ct)).Append(Task.Run(async () =>
        {
            await Task.Delay(100, Ct);
            start.Set();
            return (Claim)null!;
        }, Ct)));

        await using var check = database.NewContext();
        var lines = await check.ClaimLines.Where(l => l.Amount > Money.Zero).ToListAsync(Ct);
        Assert.Equal(12, lines.Count(l => l.BenefitCode == "SECOND_REIMBURSE"));
        Assert.Single(lines, l => l.BenefitCode == "DEDUCTIBLE_AID");
        Assert.Single(lines, l => l.BenefitCode == "CRITICAL_LUMP");
        Assert.Equal(Money.FromYuan(12 * 2400 + 200 + 10000), lines.Aggregate(Money.Zero, (sum, l) => sum + l.Amount));
        Assert.Equal(12, claims.Count(c => c is not null));
    }
}
