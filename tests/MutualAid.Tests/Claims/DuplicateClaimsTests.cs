using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>
/// One stay, one payout (issue #12, 4): the same event claimed again is refused online, taken flagged
/// at the service desk, matched when its settlement arrives, and shown to the reviewer, who must
/// confirm before approving it.
/// </summary>
public sealed class DuplicateClaimsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 9, 2, 2, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly Discharge = new(2024, 8, 20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<DocumentFile> StayDocuments() =>
    [
        new("idCard", "身份证.jpg", TestFiles.Jpeg), new("dischargeSummary", "出院小结.pdf", TestFiles.Pdf),
        new("invoice", "发票.png", TestFiles.Png), new("expenseList", "费用清单.pdf", TestFiles.Pdf),
    ];

    /// <summary>Worker 1's stay of five nights up to <paramref name="discharge"/>: 10,000 of which 7,000 insured, so 2,600 is paid.</summary>
    private static ManualClaimRequest Stay(bool online, DateOnly? discharge = null, string by = "clerk1")
    {
        var day = discharge ?? Discharge;
        var stay = new ClaimEvent { AdmissionDate = day.AddDays(-5), DischargeDate = day, Diagnoses = "I10", TotalCost = Money.FromYuan(10000), InsurancePaid = Money.FromYuan(7000) };
        return new ManualClaimRequest(online ? "会员 member" : by, Seed.Worker(1), EventKinds.Hospitalization, day, stay, [], StayDocuments(), online);
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Claim> SubmitAsync(TestDatabase database, ManualClaimRequest request)
    {
        await using var db = database.NewContext();
        return await new ManualClaims(db, Clock).SubmitAsync(request, TestActors.Tester, Ct);
    }

    [Theory]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-15", "2024-08-20", true)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-19", "2024-08-25", true)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-01", "2024-08-31", true)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-20", "2024-08-25", false)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-10", "2024-08-15", false)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-17", "2024-08-17", true)]
    [InlineData("2024-08-15", "2024-08-20", "2024-08-20", "2024-08-20", false)]
    [InlineData("2024-08-20", "2024-08-20", "2024-08-20", "2024-08-20", true)]
    public void Overlaps_AStaysNights_ButNotATransferOnTheDayItEnds(string start1, string end1, string start2, string end2, bool same)
    {
        var first = new EventSpan(1, EventKinds.Hospitalization, Day(start1), Day(end1));
        var second = new EventSpan(1, EventKinds.Hospitalization, Day(start2), Day(end2));

        Assert.Equal((same, same), (first.Overlaps(second), second.Overlaps(first)));
    }

    [Fact]
    public void Overlaps_OnlyTheSameMembersEventsOfTheSameKind_SingleDayEventsOnTheirDate()
    {
        var day = new DateOnly(2024, 8, 20);
        var diagnosis = new EventSpan(1, EventKinds.Diagnosis, day, day);

        Assert.True(diagnosis.Overlaps(diagnosis with { }));
        Assert.False(diagnosis.Overlaps(diagnosis with { Start = day.AddDays(1), End = day.AddDays(1) }));
        Assert.False(diagnosis.Overlaps(diagnosis with { MemberId = 2 }));
        Assert.False(diagnosis.Overlaps(new EventSpan(1, EventKinds.Hospitalization, day.AddDays(-5), day.AddDays(5))));
        Assert.Equal(day, EventSpan.StartOf(EventKinds.Diagnosis, day, day.AddDays(-5)));
        Assert.Equal(day.AddDays(-5), EventSpan.StartOf(EventKinds.Hospitalization, day, day.AddDays(-5)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OnlineSubmit_OfOneStayFiveTimes_TakesOne_AndRefusesFourNamingIt(string provider)
    {
        await using var database = await PaidCityAsync(provider);

        var first = await SubmitAsync(database, Stay(online: true));
        var refusals = new List<InvalidInputException>();
        for (var i = 0; i < 4; i++)
            refusals.Add(await Assert.ThrowsAsync<InvalidInputException>(() => SubmitAsync(database, Stay(online: true))));

        Assert.All(refusals, e =>
        {
            var problem = Assert.Single(e.Problems);
            Assert.Equal("admissionDate", problem.Path);
            Assert.Equal($"与已受理的理赔 {first.Number}（人工受理，待复核，2024-08-15 至 2024-08-20）是同一住院，不能重复申请；如有疑问请到服务网点办理", problem.Message);
        });
        await using var check = database.NewContext();
        Assert.Equal(1, await check.Claims.CountAsync(Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "在线申请", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OnlineSubmit_TwoIdenticalAtTheSameMoment_GiveOneClaim(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        using var start = new ManualResetEventSlim();

        var outcomes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            await db.Database.OpenConnectionAsync(Ct);
            start.Wait(Ct);
            try
            {
                await new ManualClaims(db, Clock).SubmitAsync(Stay(online: true), TestActors.Tester, Ct);
                return null;
            }
            catch (InvalidInputException e)
            {
                return e;
            }
        }, Ct)).ToList();
        await Task.Delay(100, Ct);
        start.Set();
        var results = await Task.WhenAll(outcomes);

        Assert.Single(results, r => r is null);
        Assert.Contains("不能重复申请", Assert.Single(Assert.Single(results, r => r is not null)!.Problems).Message);
        await using var check = database.NewContext();
        Assert.Equal(1, await check.Claims.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DeskIntake_OfAStayAlreadyClaimed_IsTakenFlagged_AndApprovedOnlyWhenTheReviewerConfirms(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var first = await SubmitAsync(database, Stay(online: false));
        var second = await SubmitAsync(database, Stay(online: false, discharge: Discharge.AddDays(2), by: "clerk2"));

        await using var db = database.NewContext();
        var flagged = await SameEvent.AmongAsync(db, [first, second], Ct);
        Assert.Equal([second.Number], flagged[first.Id].Select(d => d.Number));
        Assert.Equal([first.Number], flagged[second.Id].Select(d => d.Number));
        Assert.Contains($"可能重复，提请复核：{first.Number}", await db.AuditEntries.Where(a => a.Subject == second.Number).Select(a => a.Detail).SingleAsync(Ct));

        var review = new ReviewClaims(db, Clock);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => review.ApproveAsync(second.Number, TestActors.As("reviewer1"), null, Ct));
        Assert.Equal($"可能与 {first.Number}（人工受理，待复核，2024-08-15 至 2024-08-20）是同一事件：核对后确认不是重复给付，方可审批", Assert.Single(refused.Problems).Message);
        db.ChangeTracker.Clear();
        await review.RejectAsync(second.Number, TestActors.As("reviewer1"), "R05", "与 " + first.Number + " 为同一住院", Ct);
        // The rejected claim is no event any more: the first is approved without a confirmation.
        var approved = await review.ApproveAsync(first.Number, TestActors.As("reviewer1"), null, Ct);
        Assert.Equal(ClaimState.Approved, approved.State);

        // Confirmed by the reviewer, a flagged claim is approved.
        var third = await SubmitAsync(database, Stay(online: false, discharge: Discharge.AddDays(1), by: "clerk2"));
        db.ChangeTracker.Clear();
        Assert.Equal(ClaimState.Approved, (await review.ApproveAsync(third.Number, TestActors.As("reviewer1"), "转院，另一次住院", duplicatesChecked: true, Ct)).State);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Settlement_OfAStayApprovedByHand_IsMatchedToIt_AndNotPaidTwice(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var manual = await SubmitAsync(database, Stay(online: false));
        await using (var db = database.NewContext())
            await new ReviewClaims(db, Clock).ApproveAsync(manual.Number, TestActors.As("reviewer1"), null, Ct);

        // The centre's settlement of the same stay (2,600 would be approved by rule, under 10,000).
        await ImportAsync(database, [Settlement("S1", 1, Discharge, 10000, 7000, "I10"), Settlement("S2", 2, Discharge, 10000, 7000, "I10")]);

        await using var check = database.NewContext();
        var automatic = await check.Claims.Include(c => c.Lines).SingleAsync(c => c.MemberId == manual.MemberId && c.Source == ClaimSource.Automatic, Ct);
        Assert.Equal((ClaimState.NothingPayable, Money.Zero, (long?)manual.Id), (automatic.State, automatic.Total, automatic.MatchedToId));
        var line = Assert.Single(automatic.Lines);
        Assert.Equal(("duplicate", false, $"同一事件已由人工理赔 {manual.Number} 受理，不重复给付"), (line.Reason, line.Counts, line.Explanation));
        // Worker 2's settlement, claimed by nobody, is paid as ever.
        Assert.Equal(ClaimState.Approved, (await check.Claims.SingleAsync(c => c.MemberId != manual.MemberId, Ct)).State);
        Assert.Equal(Money.FromYuan(2600), (await check.Claims.Where(c => c.MemberId == manual.MemberId && c.State == ClaimState.Approved).ToListAsync(Ct)).Aggregate(Money.Zero, (s, c) => s + c.Total));
        var books = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(books.Ok, string.Join("; ", books.Figures.Where(f => !f.Agrees)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Settlement_OfAStayStillPendingByHand_IsMatched_AndTheManualClaimIsReviewedWithItInSight(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var manual = await SubmitAsync(database, Stay(online: false));

        await ImportAsync(database, [Settlement("S1", 1, Discharge.AddDays(1), 10000, 7000, "I10")]);

        await using var db = database.NewContext();
        var automatic = await db.Claims.SingleAsync(c => c.Source == ClaimSource.Automatic, Ct);
        Assert.Equal((ClaimState.NothingPayable, (long?)manual.Id), (automatic.State, automatic.MatchedToId));
        var seen = Assert.Single((await SameEvent.AmongAsync(db, [manual], Ct))[manual.Id]);
        Assert.Equal((automatic.Number, (long?)manual.Id), (seen.Number, seen.MatchedToId));
        // The matched settlement is the record of the same stay, not a competing payout: no confirmation asked.
        Assert.Equal(ClaimState.Approved, (await new ReviewClaims(db, Clock).ApproveAsync(manual.Number, TestActors.As("reviewer1"), null, Ct)).State);
    }

    [Fact]
    public async Task Cli_TakesAStayAgainFlagged_AndApprovesItOnlyWithCheckedDuplicates()
    {
        await using var database = await PaidCityAsync("sqlite");
        var connection = database.Database.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("mutualaid-docs").FullName;
        var docs = StayDocuments().SelectMany(d =>
        {
            var path = Path.Combine(folder, d.FileName);
            File.WriteAllBytes(path, d.Content);
            return new[] { "--doc", $"{d.Type}={path}" };
        }).ToArray();
        string[] stay = ["claims", "submit", Seed.Worker(1), "--kind", "hospitalization", "--admission", "2024-08-15", "--discharge", "2024-08-20",
            "--total-cost", "10000", "--insurance-paid", "7000", "--db", connection, .. docs];

        await TestActors.AddClerksAsync(database, "clerk1", "clerk2");
        var first = await CliRunner.RunAsync([.. stay, "--by", "clerk1", "--json"]);
        var second = await CliRunner.RunAsync([.. stay, "--by", "clerk2"]);
        var number = System.Text.Json.JsonDocument.Parse(first.Stdout).RootElement.GetProperty("number").GetString()!;
        await using var db = database.NewContext();
        var other = (await db.Claims.SingleAsync(c => c.EnteredBy == "clerk2", Ct)).Number;
        var refused = await CliRunner.RunAsync("claims", "approve", other, "--by", "reviewer1", "--db", connection);
        var show = await CliRunner.RunAsync("claims", "show", other, "--db", connection);
        var approved = await CliRunner.RunAsync("claims", "approve", other, "--by", "reviewer1", "--checked-duplicates", "--db", connection);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains($"已受理 {other}", second.Stdout);
        Assert.Contains($"可能与 {number} 重复，已提请复核人核对", second.Stdout);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"可能与 {number}（人工受理，待复核，2024-08-15 至 2024-08-20）是同一事件", refused.Stderr);
        Assert.Contains($"可能重复：{number}", show.Stdout);
        Assert.Equal(0, approved.ExitCode);

        // The first is returned for correction with a code of the list the web and the API use.
        var reasons = await CliRunner.RunAsync("claims", "reasons");
        var noCode = await CliRunner.RunAsync("claims", "return", number, "--by", "reviewer1", "--db", connection);
        var otherWithoutWords = await CliRunner.RunAsync("claims", "return", number, "--by", "reviewer1", "--code", "B99", "--db", connection);
        var returned = await CliRunner.RunAsync("claims", "return", number, "--by", "reviewer1", "--code", "b03", "--reason", "发票金额与清单不符", "--db", connection);
        Assert.Contains("R02  不属于保障范围", reasons.Stdout);
        Assert.Contains("B03  金额或日期与票据不符", reasons.Stdout);
        Assert.NotEqual(0, noCode.ExitCode);
        Assert.Contains("--code", noCode.Stderr);
        Assert.Equal(2, otherWithoutWords.ExitCode);
        Assert.Contains("须写明说明", otherWithoutWords.Stderr);
        Assert.Equal(0, returned.ExitCode);
        db.ChangeTracker.Clear();
        Assert.Contains((await db.Claims.SingleAsync(c => c.Id == Claim.IdOf(number), Ct)).Transitions, t => t.Reason == "[B03] 金额或日期与票据不符：发票金额与清单不符");
        Directory.Delete(folder, recursive: true);
    }
}
