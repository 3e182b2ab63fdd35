using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Importing;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Premiums;
using MutualAid.Schemes;
using MutualAid.Units;

namespace MutualAid.Demo;

/// <summary>What <c>mutualaid demo</c> put in the database.</summary>
/// <param name="AlreadyThere">The database held the demo city already, and nothing was changed.</param>
public sealed record DemoSummary(int Districts, int Units, int Members, int Enrollments, int Payments, int Settlements, int Claims, bool AlreadyThere = false);

/// <summary>
/// A small Ningbo-like city for newcomers and demonstrations: six districts with service
/// points, units of every kind, a few thousand workers enrolled through the same roster
/// import units use, last year's periods paid and renewed, this year's mostly paid, retirees
/// enrolled on their own and hardship workers given a plan by the union; settlements, automatic
/// and manual claims in review (<see cref="DemoClaims"/>). Everything is made
/// from a fixed seed, so a run cut short goes on where it stopped; on a database that holds the
/// whole demo it says so and changes nothing, and on one that holds other data it refuses.
/// </summary>
/// <param name="variant">Another city's people and units from the same recipe (a region's demo, <c>mutualaid demo --region</c>); 0 is the demo city.</param>
public sealed class DemoCity(Database database, TimeProvider clock, int variant = 0)
{
    /// <summary>Who acts in the demo's own events.</summary>
    private static readonly Auditing.Actor Demo = new("演示数据", Auditing.Origin.System);

    private static readonly (string Code, string Name)[] Districts =
        [("330203", "海曙区"), ("330205", "江北区"), ("330206", "北仑区"), ("330211", "镇海区"), ("330212", "鄞州区"), ("330213", "奉化区")];

    private static readonly (string Kind, string Suffix)[] Kinds =
        [("机关", "区总工会"), ("事业", "人民医院"), ("国企", "港务集团分公司"), ("民企", "电器有限公司"), ("民企", "服饰有限公司"), ("社团", "商会"), ("新业态平台", "配送服务站")];

    /// <summary>期初余额: the reserve earlier years left in the fund's account, about a year of the demo's payouts.</summary>
    public static readonly Money OpeningBalance = Money.FromYuan(400_000m);

    public static readonly DateOnly OpeningDay = new(2025, 1, 1);

    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾";
    private const string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志";

    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await using (var db = database.CreateContext())
        {
            // The demo's mark: its community service points, which no office names so.
            var demoDistrict = await db.ServicePoints.AnyAsync(p => p.Name == $"{Districts[0].Name}社区服务点", cancellationToken);
            if (demoDistrict && await db.Claims.AnyAsync(c => c.State == Claims.ClaimState.Paid, cancellationToken))
                return await SummaryAsync(alreadyThere: true, cancellationToken);
            if (!demoDistrict && (await db.Members.AnyAsync(cancellationToken) || await db.Units.AnyAsync(cancellationToken)))
                throw new InvalidInputException("数据库", "数据库中已有演示城市以外的数据（单位或会员）：演示数据只能建在空数据库或演示数据库上，未作改动");
        }
        var random = new Random(20260501 + variant);
        var lastYear = new DateOnly(2025, 5, 1);
        var thisYear = new DateOnly(2026, 5, 1);
        await FoundAsync(cancellationToken);

        var person = 0;
        var payments = 0;
        for (var d = 0; d < Districts.Length; d++)
        {
            var (districtCode, districtName) = Districts[d];
            for (var k = 0; k < Kinds.Length; k++)
            {
                var (kind, suffix) = Kinds[k];
                var headcount = random.Next(8, 160);
                var workers = Enumerable.Range(0, headcount).Select(_ => NewPerson(random, ++person, districtCode, 1966, 2004)).ToList();
                var women = workers.Count(w => w.Id.Gender == Gender.Female);
                var unitCode = UnitCodeFor(districtCode, variant * 100 + d * Kinds.Length + k + 1);
                await using (var db = database.CreateContext())
                    await new UnitCommands(db).SaveAsync(new UnitInput(unitCode, $"宁波{districtName[..2]}{suffix}", districtCode, kind, headcount, women), cancellationToken);

                // One unit in five has not joined yet; the others enrol all or most of their workers.
                if (random.Next(5) == 0)
                    continue;
                var share = headcount <= 10 ? 1.0 : 0.8 + random.NextDouble() * 0.2;
                var enrolled = workers.Take((int)Math.Ceiling(headcount * share)).ToList();
                await ImportAsync(enrolled, unitCode, ["INPATIENT"], lastYear, cancellationToken);
                if (random.Next(2) == 0)
                    await ImportAsync([.. enrolled.Where((_, i) => i % 3 == 0)], unitCode, ["CRITICAL"], lastYear, cancellationToken);
                await ImportAsync([.. enrolled.Where(w => w.Id.Gender == Gender.Female && w.Id.AgeOn(lastYear) <= 55)], unitCode, ["FEMALE"], lastYear, cancellationToken);
                payments += await PayAsync(PayerRef.Unit(unitCode), lastYear, lastYear.AddDays(-random.Next(5, 40)), 1.0m, cancellationToken);

                await using (var db = database.CreateContext())
                    await new EnrollmentCommands(db).RenewUnitAsync(unitCode, lastYear, skipInvalid: true, Demo, cancellationToken);
                var paid = random.Next(10) switch { 0 => 0m, 1 => 0.5m, _ => 1.0m };
                if (paid > 0)
                    payments += await PayAsync(PayerRef.Unit(unitCode), thisYear, thisYear.AddDays(random.Next(-30, 20)), paid, cancellationToken);
            }
        }

        // Retirees enrol and pay themselves; hardship workers get the critical-illness plan from the union.
        for (var i = 0; i < 120; i++)
        {
            var retiree = NewPerson(random, ++person, Districts[i % Districts.Length].Code, 1946, 1964);
            var paidOn = thisYear.AddDays(random.Next(-20, 60));
            await using var db = database.CreateContext();
            await new RegisterMember(db).HandleAsync(new MemberInput(retiree.Id.Value, retiree.Name, MemberType.Retired, retiree.Phone, null, "中国工商银行", $"62220200{person:D11}", false, false), cancellationToken);
            if (await db.Enrollments.AnyAsync(e => e.PlanCode == "RETIREE" && e.Start == thisYear && e.MemberId == db.Members.Single(m => m.IdNumber == retiree.Id.Value).Id, cancellationToken))
                continue;
            await new EnrollmentCommands(db).EnrolAsync(retiree.Id.Value, null, "RETIREE", thisYear, 1, false, null, Demo, cancellationToken);
            if (i % 6 != 0)
                payments += await PayAsync(PayerRef.Member(retiree.Id.Value), thisYear, paidOn, 1.0m, cancellationToken);
        }
        await GiftAsync(thisYear, cancellationToken);
        payments += await PayAsync(PayerRef.Union, thisYear, thisYear.AddDays(-10), 1.0m, cancellationToken);
        await new DemoClaims(database, clock).RunAsync(random, cancellationToken);
        await new DemoModelWorker(database, clock).RunAsync(cancellationToken);

        return await SummaryAsync(alreadyThere: false, cancellationToken);
    }

    /// <summary>
    /// The demo's scheme, region, districts and service points, and nothing else (again changes
    /// nothing): a city grown around the demo (the scale bench) starts here, and the demo then
    /// goes on around what it finds.
    /// </summary>
    public async Task FoundAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        await using var db = database.CreateContext();
        await using var scheme = typeof(DemoCity).Assembly.GetManifestResourceStream("schemes/ningbo.json")!;
        await new LoadScheme(db, clock).HandleAsync(await new StreamReader(scheme).ReadToEndAsync(cancellationToken), cancellationToken);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", cancellationToken);
        foreach (var (code, name) in Districts)
        {
            await org.AddDistrictAsync(code, name, cancellationToken);
            await org.AddServicePointAsync(code, $"{name}职工服务中心", null, cancellationToken);
            await org.AddServicePointAsync(code, $"{name}社区服务点", null, cancellationToken);
        }
        // The fund ran before this system: its account holds what earlier years left, brought forward before the first premium.
        if (!await db.JournalEntries.AnyAsync(e => e.Kind == Ledger.EntryKind.OpeningBalance, cancellationToken))
            await new Ledger.Books(db).OpeningBalanceAsync(OpeningDay, OpeningBalance, "2024 年末互助金结余结转（期初余额）", Demo, clock.Now(), cancellationToken);
    }

    private async Task<DemoSummary> SummaryAsync(bool alreadyThere, CancellationToken cancellationToken)
    {
        await using var summary = database.CreateContext();
        return new DemoSummary(Districts.Length, await summary.Units.CountAsync(cancellationToken), await summary.Members.CountAsync(cancellationToken),
            await summary.Enrollments.CountAsync(cancellationToken), await summary.PremiumPayments.CountAsync(cancellationToken),
            await summary.Settlements.CountAsync(cancellationToken), await summary.Claims.CountAsync(cancellationToken), alreadyThere);
    }

    private async Task GiftAsync(DateOnly start, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var hardship = await db.Members.Where(m => m.Type == MemberType.InService).OrderBy(m => m.Id).Take(300).ToListAsync(cancellationToken);
        foreach (var member in hardship.Where((_, i) => i % 10 == 0))
        {
            member.Hardship = true;
            if (Age.On(member.BirthDate, start) > 60
                || await db.Enrollments.AnyAsync(e => e.MemberId == member.Id && e.PlanCode == "CRITICAL" && e.End >= start, cancellationToken))
                continue;
            await db.SaveChangesAsync(cancellationToken);
            await new EnrollmentCommands(db).EnrolAsync(member.IdNumber, null, "CRITICAL", start, 1, gifted: true, null, Demo, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ImportAsync(List<DemoPerson> people, string unitCode, string[] plans, DateOnly start, CancellationToken cancellationToken)
    {
        if (people.Count == 0)
            return;
        var file = Path.Combine(Path.GetTempPath(), $"mutualaid-demo-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder("序号,姓名,身份证号,手机号\n");
        for (var i = 0; i < people.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i + 1},{people[i].Name},{people[i].Id.Value},{people[i].Phone}\n");
        await File.WriteAllTextAsync(file, text.ToString(), cancellationToken);
        try
        {
            await using var db = database.CreateContext();
            var report = await new ImportRoster(db, clock).HandleAsync(file, new RosterOptions(unitCode, null, plans, start, SkipInvalid: true), Demo, cancellationToken);
            if (!report.Written)
                throw new InvalidOperationException("demo roster refused: " + string.Join("; ", report.Problems));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Pays <paramref name="share"/> of what the payer still owes; the reference makes a second run a no-op.</summary>
    private async Task<int> PayAsync(PayerRef payer, DateOnly start, DateOnly on, decimal share, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var desk = new PremiumDesk(db);
        var notice = await desk.NoticeAsync(payer, start, cancellationToken);
        var amount = Money.RoundYuan(notice.Total * share);
        if (amount <= Money.Zero)
            return 0;
        // A member's payment is keyed by a digest of their ID number: a bank serial shown in lists carries no ID number.
        var key = payer.Kind == Payer.Member && payer.Code is { } id
            ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..16] : payer.Code ?? "GH";
        var reference = $"DEMO-{start:yyyy}-{(int)payer.Kind}-{key}";
        await desk.RecordAsync(payer, start, amount, on, reference, Demo, cancellationToken);
        return 1;
    }

    /// <summary>A region's variant of the demo, from its code.</summary>
    public static int VariantOf(string region) => region.Aggregate(0, (h, c) => (h * 31 + c) % 9973) + 1;

    private sealed record DemoPerson(IdNumber Id, string Name, string Phone);

    private static DemoPerson NewPerson(Random random, int n, string division, int fromYear, int toYear)
    {
        var birth = new DateOnly(random.Next(fromYear, toYear + 1), random.Next(1, 13), random.Next(1, 29));
        var female = random.Next(2) == 0;
        var sequence = (n % 499 * 2 + (female ? 0 : 1)).ToString("D3", CultureInfo.InvariantCulture);
        var body = division + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence;
        var name = $"{Surnames[random.Next(Surnames.Length)]}{Given[random.Next(Given.Length)]}{(random.Next(2) == 0 ? Given[random.Next(Given.Length)].ToString() : "")}";
        return new DemoPerson(IdNumber.Parse(body + IdNumber.CheckCharacter(body)), name, $"1{random.Next(3, 9)}{n:D9}");
    }

    private static string UnitCodeFor(string division, int n)
    {
        var body = "91" + division + "MA" + n.ToString("D7", CultureInfo.InvariantCulture);
        return body + UnitCode.CheckCharacter(body);
    }
}
