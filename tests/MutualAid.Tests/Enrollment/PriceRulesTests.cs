using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;
using MutualAid.Importing;
using MutualAid.Ledger;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Premiums;
using MutualAid.Schemes;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using MutualAid.Units;

namespace MutualAid.Tests.Enrollment;

/// <summary>
/// Premiums the way cities set them (issue #14, 3): by the unit's kind, new or continuing, and
/// periods of several years, followed by the enrolment, the payment notice, the premium desk and the books.
/// </summary>
public sealed class PriceRulesTests
{
    private const string StateFirm = "91330203000000001W";
    private const string PrivateFirm = "913302030000000020";
    private static readonly DateOnly Start = new(2024, 1, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two-year periods: private firms 40 a year when new and 35 when continuing; anyone else continuing 50; 60 otherwise.</summary>
    private const string TwoYearScheme = """
        { "scheme": "PRICED", "name": "计价测试",
          "plans": [ { "code": "INPATIENT", "name": "住院互助", "enrollAge": { "min": 16, "max": 60 },
            "versions": [ { "effectiveFrom": "2024-01-01", "premium": 60, "periodYears": 2,
              "premiums": [
                { "unitKinds": ["private"], "appliesTo": "continuing", "premium": 35 },
                { "unitKinds": ["private"], "premium": 40 },
                { "appliesTo": "continuing", "premium": 50 } ],
              "benefits": [ { "code": "R", "kind": "bracketed", "events": ["hospitalization"], "base": "selfPay", "brackets": [ { "from": 0, "rate": 0.5 } ] } ] } ] } ] }
        """;

    private static async Task<TestDatabase> CityAsync(string provider, string scheme)
    {
        var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        await new LoadScheme(db, new FakeTimeProvider()).HandleAsync(scheme, Ct);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("331000", "台州市", Ct);
        await org.AddDistrictAsync("331002", "椒江区", Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(StateFirm, "国营甲厂", "331002", "国有企业", 2, 1), Ct);
        await new UnitCommands(db).SaveAsync(new UnitInput(PrivateFirm, "民营乙厂", "331002", "民营企业", 2, 1), Ct);
        return database;
    }

    private static string Taizhou => File.ReadAllText(Path.Combine(TestPaths.Schemes, "taizhou.json"));

    /// <summary>Workers <paramref name="first"/> and the next enrolled by <paramref name="unit"/>'s roster from <paramref name="start"/>.</summary>
    private static async Task<ImportReport> RosterAsync(TestDatabase database, string unit, int first, DateOnly start, DateOnly? from = null)
    {
        await using var db = database.NewContext();
        var rows = new List<object?[]> { new object?[] { 1, $"职工{first}", Seed.Worker(first), $"13800{first:000000}" }, new object?[] { 2, $"职工{first + 1}", Seed.Worker(first + 1), $"13800{first + 1:000000}" } };
        var file = RosterFiles.Write("csv", Seed.RosterHeader, from is null ? rows : rows.Take(1).ToList());
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(file, new RosterOptions(unit, null, ["INPATIENT"], from is null ? start : null, From: from), TestActors.Tester, Ct);
    }

    private static async Task<PaymentNotice> NoticeAsync(TestDatabase database, PayerRef payer, DateOnly start)
    {
        await using var db = database.NewContext();
        return await new PremiumDesk(db).NoticeAsync(payer, start, Ct);
    }

    private static async Task<PaymentResult> PayAsync(TestDatabase database, PayerRef payer, DateOnly start, decimal yuan, string reference)
    {
        await using var db = database.NewContext();
        return await new PremiumDesk(db).RecordAsync(payer, start, Money.FromYuan(yuan), start.AddDays(-10), reference, TestActors.Tester, Ct);
    }

    private static async Task<(Money Bank, bool Ok)> BooksAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var check = new LedgerCheck(db);
        return (await check.BalanceAsync(Accounts.Bank, Ct), (await check.HandleAsync(Ct)).Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ByUnitKind_ThePrivateFirmIsCharged40_TheStateFirm60_OnTheNoticeTheDeskAndTheBooks(string provider)
    {
        await using var database = await CityAsync(provider, Taizhou);
        await RosterAsync(database, StateFirm, 1, Start);
        await RosterAsync(database, PrivateFirm, 3, Start);

        var state = await NoticeAsync(database, PayerRef.Unit(StateFirm), Start);
        var privateFirm = await NoticeAsync(database, PayerRef.Unit(PrivateFirm), Start);
        // 80 is what the private firm owes at 40; at the plan's 60 it would cover one worker only.
        var paid = await PayAsync(database, PayerRef.Unit(PrivateFirm), Start, 80, "TZ-1");

        Assert.Equal(("国有企业 60 元/年", 2, 120m), (Assert.Single(state.Lines).Price, state.Lines[0].Heads, state.Total));
        Assert.Equal(("民营企业 40 元/年", 2, 80m), (Assert.Single(privateFirm.Lines).Price, privateFirm.Lines[0].Heads, privateFirm.Total));
        Assert.Equal((2, 0m), (paid.Activated, paid.Outstanding));
        Assert.Equal((Money.FromYuan(80), true), await BooksAsync(database));
        await using var db = database.NewContext();
        Assert.Equal(["民营企业 40 元/年", "民营企业 40 元/年", "国有企业 60 元/年", "国有企业 60 元/年"],
            await db.Enrollments.OrderByDescending(e => e.UnitId).ThenBy(e => e.Id).Select(e => e.PriceRule).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ByUnitKind_AFundingSplit_SharesThePriceChosen(string provider)
    {
        await using var database = await CityAsync(provider, Taizhou);
        await using (var db = database.NewContext())
        {
            var file = RosterFiles.Write("csv", Seed.RosterHeader, [new object?[] { 1, "职工1", Seed.Worker(1), "13800000001" }]);
            await new ImportRoster(db, TimeProvider.System).HandleAsync(file,
                new RosterOptions(PrivateFirm, null, ["INPATIENT"], Start, Split: FundingSplit.Parse("单位=60,政府=40")), TestActors.Tester, Ct);
        }

        var unit = await NoticeAsync(database, PayerRef.Unit(PrivateFirm), Start);
        var government = await NoticeAsync(database, PayerRef.Government, Start);

        Assert.Equal(("民营企业 40 元/年", 24m), (Assert.Single(unit.Lines).Price, unit.Total));
        Assert.Equal(("民营企业 40 元/年", 16m), (Assert.Single(government.Lines).Price, government.Total));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MultiYear_APeriodIsTwoYears_ChargedForBoth_AndTheRenewalIsContinuing(string provider)
    {
        await using var database = await CityAsync(provider, TwoYearScheme);
        await RosterAsync(database, PrivateFirm, 1, Start);
        var first = await NoticeAsync(database, PayerRef.Unit(PrivateFirm), Start);
        var firstPaid = await PayAsync(database, PayerRef.Unit(PrivateFirm), Start, 160, "P-1");
        RenewalReport renewal;
        await using (var db = database.NewContext())
            renewal = await new EnrollmentCommands(db).RenewUnitAsync(PrivateFirm, Start, false, TestActors.Tester, Ct);
        var next = new DateOnly(2026, 1, 1);
        var second = await NoticeAsync(database, PayerRef.Unit(PrivateFirm), next);
        var secondPaid = await PayAsync(database, PayerRef.Unit(PrivateFirm), next, 140, "P-2");

        Assert.Equal(("民营企业 40 元/年 × 2 年", 160m), (Assert.Single(first.Lines).Price, first.Total));
        Assert.Equal(2, firstPaid.Activated);
        Assert.Equal(2, renewal.Renewed);
        Assert.Equal(("民营企业 续保 35 元/年 × 2 年", 140m), (Assert.Single(second.Lines).Price, second.Total));
        Assert.Equal((2, 0m), (secondPaid.Activated, secondPaid.Outstanding));
        Assert.Equal((Money.FromYuan(300), true), await BooksAsync(database));
        await using var check = database.NewContext();
        var periods = await check.Enrollments.OrderBy(e => e.Start).ThenBy(e => e.Id).Select(e => new { e.Start, e.End, e.Premium }).ToListAsync(Ct);
        Assert.Equal([(Start, new DateOnly(2025, 12, 31), Money.FromYuan(80)), (Start, new DateOnly(2025, 12, 31), Money.FromYuan(80)),
            (next, new DateOnly(2027, 12, 31), Money.FromYuan(70)), (next, new DateOnly(2027, 12, 31), Money.FromYuan(70))],
            periods.Select(p => (p.Start, p.End, p.Premium)));
        // 以支定收 counts unit-years: two members for two years each, against the yearly premium.
        Assert.Equal(4, Assert.Single(await new MutualAid.Reports.FundReports(check).AdequacyAsync(Start.Year, 1, 0m, Ct)).UnitYears);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task NewOrContinuing_AnIndividualPaysTheNewPrice_ThenTheContinuingOne_AndANewOneAfterALapse(string provider)
    {
        await using var database = await CityAsync(provider, TwoYearScheme);
        var id = TestIds.Person(41, new DateOnly(1970, 2, 1), Gender.Male);
        await using (var db = database.NewContext())
            await new RegisterMember(db).HandleAsync(new MemberInput(id, "个人甲", MemberType.Flexible, "13900000041", null, null, null, false, false), Ct);
        MutualAid.Enrollment.Enrollment fresh, renewed;
        await using (var db = database.NewContext())
            fresh = await new EnrollmentCommands(db).EnrolAsync(id, null, "INPATIENT", Start, 1, false, null, TestActors.Tester, Ct);
        var firstPaid = await PayAsync(database, PayerRef.Member(id), Start, 120, "M-1");
        // A lapse of a day more than the grace (0) is new again.
        MutualAid.Enrollment.Enrollment lapsed;
        await using (var db = database.NewContext())
            renewed = await new EnrollmentCommands(db).EnrolAsync(id, null, "INPATIENT", new DateOnly(2026, 1, 1), 1, false, null, TestActors.Tester, Ct);
        await using (var db = database.NewContext())
            lapsed = await new EnrollmentCommands(db).EnrolAsync(id, null, "INPATIENT", new DateOnly(2028, 1, 2), 1, false, null, TestActors.Tester, Ct);
        var notice = await NoticeAsync(database, PayerRef.Member(id), new DateOnly(2026, 1, 1));

        Assert.Equal(("60 元/年 × 2 年", Money.FromYuan(120), new DateOnly(2025, 12, 31)), (fresh.PriceRule, fresh.Premium, fresh.End));
        Assert.Equal(1, firstPaid.Activated);
        Assert.Equal(("续保 50 元/年 × 2 年", Money.FromYuan(100)), (renewed.PriceRule, renewed.Premium));
        Assert.Equal(("60 元/年 × 2 年", Money.FromYuan(120)), (lapsed.PriceRule, lapsed.Premium));
        Assert.Equal(("续保 50 元/年 × 2 年", 100m), (Assert.Single(notice.Lines).Price, notice.Outstanding));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MultiYear_ANewHireJoiningTheSecondYear_PaysTheMonthsLeftOfTheTwoYears(string provider)
    {
        await using var database = await CityAsync(provider, TwoYearScheme);
        await RosterAsync(database, PrivateFirm, 1, Start);

        var report = await RosterAsync(database, PrivateFirm, 5, Start, from: new DateOnly(2025, 1, 15));

        var joined = Assert.Single(report.Joined);
        Assert.Equal((new DateOnly(2025, 12, 31), Money.FromYuan(40), "民营企业 40 元/年 × 2 年，按 12/24 个月"), (joined.End, joined.Premium, joined.PriceRule));
        var notice = await NoticeAsync(database, PayerRef.Unit(PrivateFirm), new DateOnly(2025, 1, 15));
        Assert.Equal(("民营企业 40 元/年 × 2 年，按 12/24 个月", 40m), (Assert.Single(notice.Lines).Price, notice.Total));
    }

    [Fact]
    public async Task Cli_EnrolAndNotice_SayThePriceRule()
    {
        await using var database = await CityAsync("sqlite", TwoYearScheme);
        var db = database.Database.ConnectionString;
        var id = TestIds.Person(42, new DateOnly(1972, 2, 1), Gender.Female);
        await using (var context = database.NewContext())
            await new RegisterMember(context).HandleAsync(new MemberInput(id, "个人乙", MemberType.Flexible, "13900000042", null, null, null, false, false), Ct);

        var enrol = await CliRunner.RunAsync("enroll", id, "--plan", "INPATIENT", "--start", "2024-01-01", "--db", db);
        var notice = await CliRunner.RunAsync("premium", "notice", "--member", id, "--start", "2024-01-01", "--db", db);
        var show = await CliRunner.RunAsync("scheme", "show", "PRICED", "--db", db);

        Assert.True(enrol.ExitCode == 0, enrol.Stderr);
        Assert.Contains("保费 120.00 元（60 元/年 × 2 年）", enrol.Stdout);
        Assert.Contains("INPATIENT 住院互助（60 元/年 × 2 年）：1 人 1 份 120.00 元", notice.Stdout);
        Assert.Contains("民营企业 续保 35 元/年；民营企业 40 元/年；续保 50 元/年；其他 60 元/年；每期 2 年", show.Stdout);
    }
}
