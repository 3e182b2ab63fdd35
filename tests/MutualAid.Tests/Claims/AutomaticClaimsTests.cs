using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Premiums;
using MutualAid.Settlements;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>Automatic claims (无感办) pay exactly what <c>calc</c> pays for the same scheme, enrollments and events.</summary>
public sealed class AutomaticClaimsTests
{
    private static readonly string[] Diagnoses = ["I10", "J18.9", "C50.9", "I63.9", "N18.5", "K35.8"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StoredPayouts_EqualWhatCalcGives_OnGeneratedData(string provider)
    {
        await using var database = await Seed.CityAsync(provider, headcount: 20, women: 10);
        var random = new Random(42);
        await EnrolAndPayAsync(database, random);
        var settlements = Settlements(random, 240);

        // Two imports, the second after the first's claims exist: the stored history must carry the caps.
        var cut = new DateOnly(2024, 11, 1);
        await ImportAsync(database, settlements.Where(s => string.CompareOrdinal((string)s[7]!, "2024-11-01") < 0));
        await ImportAsync(database, settlements.Where(s => string.CompareOrdinal((string)s[7]!, "2024-11-01") >= 0));

        await using var db = database.NewContext();
        var stored = await db.ClaimLines.AsNoTracking()
            .Join(db.Claims, l => l.ClaimId, c => c.Id, (l, c) => new { l, c.SettlementId })
            .Join(db.Settlements, x => x.SettlementId, s => s.Id, (x, s) => new { x.l, s.SetlId })
            .ToListAsync(Ct);
        var expected = CalcCase.Parse(await CaseJsonAsync(db)).Run();

        var payouts = expected.Payouts.Select(p => $"{p.Event.Id} {p.Line.Plan.Code} {p.Line.Benefit.Code} {p.Line.Amount}").Order().ToList();
        var storedPayouts = stored.Where(x => x.l.Amount > Money.Zero).Select(x => $"{x.SetlId} {x.l.PlanCode} {x.l.BenefitCode} {x.l.Amount}").Order().ToList();
        Assert.True(payouts.Count > 20, "the generated data pays something");
        Assert.Equal(payouts, storedPayouts);
        var denials = expected.Denials.Select(d => $"{d.Event.Id} {d.Plan?.Code ?? ""} {TraceText.SpecName(d.Reason)}").Order().ToList();
        var storedDenials = stored.Where(x => x.l.BenefitCode is null).Select(x => $"{x.SetlId} {x.l.PlanCode} {x.l.Reason}").Order().ToList();
        Assert.Equal(denials, storedDenials);
        Assert.Contains(stored, x => x.l.Explanation.Contains("本次给付", StringComparison.Ordinal));
        Assert.True(cut > Seed.Start);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ASettlementThatPaysNothing_IsKeptWithItsReason(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);

        // Unpaid: the enrollment covers nothing yet.
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);

        await using var db = database.NewContext();
        var claim = await db.Claims.Include(c => c.Lines).SingleAsync(Ct);
        Assert.Equal(ClaimState.NothingPayable, claim.State);
        var line = Assert.Single(claim.Lines);
        // An unpaid enrollment covers nothing and does not count as held.
        Assert.Equal(("", "not_enrolled"), (line.PlanCode, line.Reason));
        Assert.Contains("不在参保期间", line.Explanation);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARefund_ReversesTheClaim_AndItNoLongerCountsForLaterOnes(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        var refund = Settlement("R1", 1, new DateOnly(2024, 6, 10), -10000, -7000, "I10");
        (refund[14], refund[15], refund[18], refund[19]) = ("-3000.00", "-3000.00", "1", "S1");

        await ImportAsync(database, [refund, Settlement("S2", 1, new DateOnly(2024, 8, 10), 10000, 7000, "I10")]);

        await using var check = database.NewContext();
        var claims = await check.Claims.Include(c => c.Lines).OrderBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal([ClaimState.Reversed, ClaimState.Approved], claims.Select(c => c.State));
        // Intake and approval by rule are the claims' columns; the reversal is the one stored row.
        Assert.Equal([Money.FromYuan(10000), Money.FromYuan(10000)], claims.Select(c => c.ApprovedByRuleUpTo!.Value));
        Assert.Equal((ClaimState.Approved, ClaimState.Reversed), (Assert.Single(claims[0].Transitions).From, claims[0].Transitions[0].To));
        Assert.Equal([ClaimState.PendingReview, ClaimState.Approved, ClaimState.Reversed], claims[0].History.Select(t => t.To));
        Assert.Empty(claims[1].Transitions);
        // 3,000 personal share: 2,400 at 80%, and the 200 once a period, paid again because the first claim was reversed.
        Assert.Equal(Money.FromYuan(2600), claims[1].Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARefundOfAPaidClaim_OpensARecovery_AndLeavesTheClaimPaid(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        await using (var db = database.NewContext())
        {
            (await db.Claims.SingleAsync(Ct)).MarkPaid("finance1", new DateTime(2024, 6, 15, 0, 0, 0, DateTimeKind.Utc), "B1");
            await db.SaveChangesAsync(Ct);
        }
        var refund = Settlement("R1", 1, new DateOnly(2024, 6, 10), -10000, -7000, "I10");
        (refund[14], refund[15], refund[18], refund[19]) = ("-3000.00", "-3000.00", "1", "S1");

        await ImportAsync(database, [refund]);

        await using var check = database.NewContext();
        var claim = await check.Claims.SingleAsync(Ct);
        var recovery = await check.Recoveries.SingleAsync(Ct);
        Assert.Equal(ClaimState.Paid, claim.State);
        Assert.Equal((claim.Id, Money.FromYuan(2600), RecoveryState.Open), (recovery.ClaimId, recovery.Amount, recovery.State));
        Assert.Equal($"医保结算 S1 已被 R1 红冲，理赔 {claim.Number} 已支付", recovery.Reason);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Overdue_CountsFromTheSchemesPromise(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var imported = new DateTimeOffset(2024, 6, 12, 9, 0, 0, TimeSpan.Zero);
        await using (var db = database.NewContext())
        {
            var rows = new[] { Settlement("S1", 1, new DateOnly(2024, 6, 10), 300000, 100000, "I10") };
            await new SettlementFeed(db, new FakeTimeProvider(imported)).HandleAsync(RosterFiles.Write("csv", SettlementHeader, rows), Ct);
        }
        await using var query = database.NewContext();

        // The Ningbo example promises 7 days: due by 2024-06-19 09:00.
        Assert.Equal(imported.UtcDateTime.AddDays(7), (await query.Claims.SingleAsync(Ct)).DueBy);
        Assert.Empty(await new ClaimQueries(query).OverdueAsync(null, imported.UtcDateTime.AddDays(7), Ct));
        Assert.Single(await new ClaimQueries(query).OverdueAsync(null, imported.UtcDateTime.AddDays(7).AddMinutes(1), Ct));
    }

    [Fact]
    public async Task Cli_ImportsSettlements_AndShowsTheClaimWithItsExplanation()
    {
        await using var database = await PaidCityAsync("sqlite");
        var file = RosterFiles.Write("csv", SettlementHeader, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        var connection = database.Database.ConnectionString;

        var import = await CliRunner.RunAsync("import", "settlements", file, "--db", connection);
        var list = await CliRunner.RunAsync("claims", "list", "--db", connection, "--json");
        var number = System.Text.Json.JsonDocument.Parse(list.Stdout).RootElement[0].GetProperty("number").GetString()!;
        var show = await CliRunner.RunAsync("claims", "show", number, "--db", connection);

        Assert.Equal(0, import.ExitCode);
        Assert.Contains("自动理赔 1 件：待复核 0 件，按规则审批 1 件，合计 2,600.00 元", import.Stdout);
        Assert.Contains("个人负担 3,000.00 元：0.00–3,000.00 元段 3,000.00 × 80% = 2,400.00；本次给付 2,400.00 元", show.Stdout);
        Assert.Contains("330203********", show.Stdout);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Review_AboveTheRuleLimit_NeedsAPersonAndIsKeptWithItsHistory(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        // A 200,000 stay: 2,400 + 19,700 + 200 = 22,300, above the 10,000 the scheme approves by rule.
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 6, 10), 300000, 100000, "I10")]);
        string number;
        await using (var db = database.NewContext())
            number = (await db.Claims.SingleAsync(Ct)).Number;

        await using (var db = database.NewContext())
        {
            var claim = await new ReviewClaims(db, new FakeTimeProvider()).ApproveAsync(number, TestActors.As("reviewer1"), "核对无误", Ct);
            Assert.Equal(ClaimState.Approved, claim.State);
        }
        await using var again = database.NewContext();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new ReviewClaims(again, new FakeTimeProvider()).ApproveAsync(number, TestActors.As("reviewer2"), null, Ct));
        Assert.Contains("不能审批", Assert.Single(error.Problems).Message);
        var stored = await again.Claims.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(Money.FromYuan(22300), stored.Total);
        // The automatic intake is the claim's own column; only the person's approval is a stored row.
        Assert.Equal((ClaimState.Approved, "reviewer1"), (Assert.Single(stored.Transitions).To, stored.Transitions[0].By));
        Assert.Equal([(ClaimState.PendingReview, Claim.System), (ClaimState.Approved, "reviewer1")], stored.History.Select(t => (t.To, t.By)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Overdue_ListsOpenClaimsPastThePromise_AndNotClosedOnes(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        // Imported on 2024-06-12: one claim for review (above the rule's limit), one that pays nothing.
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 6, 12, 9, 0, 0, TimeSpan.Zero));
        await using (var db = database.NewContext())
        {
            var rows = new[] { Settlement("S1", 1, new DateOnly(2024, 6, 10), 300000, 100000, "I10"), Settlement("S2", 2, new DateOnly(2023, 6, 10), 1000, 900, "I10") };
            await new SettlementFeed(db, clock).HandleAsync(RosterFiles.Write("csv", SettlementHeader, rows), Ct);
        }
        await using var query = database.NewContext();

        var onDaySeven = await new ClaimQueries(query).OverdueAsync(7, new DateTime(2024, 6, 19, 8, 0, 0, DateTimeKind.Utc), Ct);
        var onDayEight = await new ClaimQueries(query).OverdueAsync(7, new DateTime(2024, 6, 20, 10, 0, 0, DateTimeKind.Utc), Ct);

        Assert.Empty(onDaySeven);
        var overdue = Assert.Single(onDayEight);
        Assert.Equal((nameof(ClaimState.PendingReview), 8), (overdue.Claim.State, overdue.Days));
    }

    private static async Task EnrolAndPayAsync(TestDatabase database, Random random)
    {
        var workers = Seed.Workers(20);
        var withUnits = workers.Select(w => (object?[])[.. w, random.Next(1, 4)]).ToList();
        string[] header = [.. Seed.RosterHeader, "份数"];
        await EnrolAsync(database, "INPATIENT", workers);
        await EnrolAsync(database, "CRITICAL", withUnits, header);
        await EnrolAsync(database, "FEMALE", workers.Where((_, i) => i % 2 == 0));

        await PayAllAsync(database);
    }

    private static List<object?[]> Settlements(Random random, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var discharge = new DateOnly(2024, 3, 1).AddDays(random.Next(0, 460));
            var total = random.Next(500, 80_000);
            var fund = total * random.Next(40, 90) / 100;
            return Settlement($"S{i:D4}", random.Next(1, 21), discharge, total, fund, Diagnoses[random.Next(Diagnoses.Length)], random.Next(0, 300), random.Next(1, 40));
        }),
    ];

    /// <summary>The same scheme, members, paid enrollments and events as a calc case.</summary>
    private static async Task<string> CaseJsonAsync(MutualAid.Data.MutualAidDbContext db)
    {
        var members = await db.Members.AsNoTracking().ToListAsync(Ct);
        var enrollments = await db.Enrollments.AsNoTracking().ToListAsync(Ct);
        var settlements = await db.Settlements.AsNoTracking().ToListAsync(Ct);
        var events = new JsonArray();
        foreach (var s in settlements)
        {
            var e = s.ToEvent(s.MemberId.ToString(CultureInfo.InvariantCulture));
            events.Add(new JsonObject
            {
                ["id"] = e.Id, ["member"] = e.MemberId, ["kind"] = "hospitalization", ["date"] = Day(e.Date),
                ["admissionDate"] = Day(e.AdmissionDate!.Value), ["dischargeDate"] = Day(e.DischargeDate!.Value),
                ["diagnoses"] = new JsonArray([.. e.Diagnoses.Select(d => JsonValue.Create(d))]),
                ["amounts"] = new JsonObject
                {
                    ["totalCost"] = e.Amounts.TotalCost.Yuan, ["insurancePaid"] = e.Amounts.InsurancePaid.Yuan,
                    ["selfPayInScope"] = e.Amounts.SelfPayInScope.Yuan, ["selfPayOutOfScope"] = e.Amounts.SelfPayOutOfScope.Yuan,
                    ["selfPay"] = e.Amounts.EffectiveSelfPay.Yuan, ["cashPay"] = e.Amounts.EffectiveCashPay.Yuan,
                },
            });
        }
        return new JsonObject
        {
            ["scheme"] = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, "ningbo.json"), Ct)),
            ["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject
            {
                ["id"] = m.Id.ToString(CultureInfo.InvariantCulture), ["gender"] = m.Gender == Gender.Female ? "F" : "M",
                ["birthDate"] = Day(m.BirthDate), ["memberType"] = "in_service",
            })]),
            ["enrollments"] = new JsonArray([.. enrollments.Select(e => (JsonNode)new JsonObject
            {
                ["member"] = e.MemberId.ToString(CultureInfo.InvariantCulture), ["plan"] = e.PlanCode,
                ["start"] = Day(e.Start), ["end"] = Day(e.End), ["units"] = e.Units,
            })]),
            ["events"] = events,
        }.ToJsonString();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
