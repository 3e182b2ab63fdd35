using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Demo;
using MutualAid.Importing;
using MutualAid.Payments;
using MutualAid.Premiums;
using MutualAid.Settlements;
using MutualAid.Units;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// A city at scale, built through the product's own doors: the demo city (its districts, users
/// and small units), then units of 4,000 workers up to <c>members</c>, each enrolled in the
/// in-service plan by the roster import and paid by the unit at the premium desk; a settlement
/// file of one stay for every fifth member through the settlement feed (claims approved by rule
/// or left for review); the approved claims paid through batches until one batch's worth waits, the second person's
/// approval, the bank file and the bank's return. Then every page of every role is timed
/// (<see cref="PageBenchmark"/>). On SQLite, and on PostgreSQL when <c>MUTUALAID_BENCH_PG</c> is set.
/// </summary>
internal static class CityBenchmark
{
    private const int UnitSize = 4_000;
    private const int Batch = 5_000;
    private static readonly DateOnly Period = new(2026, 5, 1);
    private static readonly Auditing.Actor Builder = new("规模测试", Auditing.Origin.System);
    private static readonly Auditing.Actor Checker = new("规模测试复核", Auditing.Origin.System);

    public static async Task RunAsync(int members, string? keep, bool postgresOnly = false)
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-city-");
        try
        {
            if (!postgresOnly)
            {
                var file = keep ?? Path.Combine(folder.FullName, "city.db");
                var sqlite = Database.Parse($"Data Source={file}");
                if (keep is null || !File.Exists(keep))
                    await BuildAsync(sqlite, members, folder.FullName);
                else
                    await PayAsync(sqlite, folder.FullName);
                await PageBenchmark.TimeEveryPageAsync(sqlite, rounds: 10);
            }
            var postgres = Environment.GetEnvironmentVariable("MUTUALAID_BENCH_PG");
            if (string.IsNullOrEmpty(postgres))
            {
                Say($"PostgreSQL skipped: set MUTUALAID_BENCH_PG=Host=…;Username=… to measure it");
                return;
            }
            // With a keep name the city's database is built once and timed again on later runs.
            var name = keep ?? "mutualaid_bench_city";
            var database = postgresOnly && keep is not null && await PostgresExistsAsync(postgres, name)
                ? Database.Parse(new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString)
                : null;
            if (database is null)
            {
                database = await FreshPostgresAsync(postgres, name);
                await BuildAsync(database, members, folder.FullName);
            }
            else
                await PayAsync(database, folder.FullName);
            await PageBenchmark.TimeEveryPageAsync(database, rounds: 10);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static async Task BuildAsync(Database database, int members, string folder)
    {
        // The demo's districts first, the big units paid in April (before the demo closes its months), then the demo.
        var clock = Stopwatch.StartNew();
        var demo = new DemoCity(database, TimeProvider.System);
        await demo.FoundAsync(default);
        string[] districts;
        await using (var db = database.CreateContext())
            districts = await db.Districts.OrderBy(d => d.Code).Select(d => d.Code).ToArrayAsync();

        var random = new Random(2026);
        var people = 0;
        var step = Stopwatch.StartNew();
        for (var u = 0; people < members; u++)
        {
            var size = Math.Min(UnitSize, members - people);
            var district = districts[u % districts.Length];
            var body = "91" + district + "MB" + u.ToString("D7", CultureInfo.InvariantCulture);
            var code = body + UnitCode.CheckCharacter(body);
            var roster = Path.Combine(folder, "roster.csv");
            var text = new StringBuilder("序号,姓名,身份证号,手机号,开户银行,银行账号\n");
            for (var i = 0; i < size; i++)
            {
                var (id, name, phone) = Person(random, people + i);
                text.Append(CultureInfo.InvariantCulture, $"{i + 1},{name},{id},{phone},中国工商银行,6222028{people + i:D12}\n");
            }
            await File.WriteAllTextAsync(roster, text.ToString());
            await using var db = database.CreateContext();
            await new UnitCommands(db).SaveAsync(new UnitInput(code, $"宁波第{u + 1}制造有限公司", district, "民企", size, size / 2), default);
            var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(roster, new RosterOptions(code, null, ["INPATIENT"], Period), Builder, default);
            if (!report.Written)
                throw new InvalidOperationException($"unit {u + 1}: " + string.Join("; ", report.Problems.Take(5)));
            var desk = new PremiumDesk(db, TimeProvider.System);
            var notice = await desk.NoticeAsync(PayerRef.Unit(code), Period, default);
            await desk.RecordAsync(PayerRef.Unit(code), Period, Money.FromYuan(notice.Outstanding), Period.AddDays(-10), $"CITY-{code}", Builder, default);
            people += size;
            if ((u + 1) % 50 == 0)
                Say($"  {people:N0} members enrolled and paid, {people / step.Elapsed.TotalSeconds:N0}/s");
        }
        Say($"{database.Provider}: {members:N0} members in {(members + UnitSize - 1) / UnitSize} units enrolled and paid in {step.Elapsed.TotalSeconds:0} s");
        step.Restart();
        var summary = await demo.RunAsync(default);
        Say($"{database.Provider}: the demo city's {summary.Members - members:N0} members around them in {step.Elapsed.TotalSeconds:0} s");

        step.Restart();
        var settlements = Path.Combine(folder, "settlements.csv");
        await WriteSettlementsAsync(settlements, members, random);
        FeedReport feed;
        await using (var db = database.CreateContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            feed = await new SettlementFeed(db, TimeProvider.System).HandleAsync(settlements, default);
        }
        Say($"{database.Provider}: {feed.Import.Imported:N0} settlements, {feed.Claims.Claims:N0} claims in {step.Elapsed.TotalSeconds:0} s");

        await PayAsync(database, folder);
        Say($"{database.Provider}: city built in {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>
    /// Pays the approved claims through batches, the second person's approval, the bank file and the bank's
    /// return, until one batch's worth waits: a city that pays within a week has about a week of claims in its
    /// queue, not half a year's (the planner's estimates for the queue and the overdue list depend on it).
    /// A kept city built before this step catches up when timed again.
    /// </summary>
    private static async Task PayAsync(Database database, string folder)
    {
        var step = Stopwatch.StartNew();
        var paid = 0;
        while (true)
        {
            await using var db = database.CreateContext();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            if (await db.Claims.CountAsync(c => c.State == ClaimState.Approved) <= Batch)
                break;
            var desk = new PaymentDesk(db, TimeProvider.System);
            var made = await desk.CreateBatchAsync(Builder, Batch, default);
            if (made.Batch is not { } batch)
                break;
            await desk.ApproveAsync(batch.Code, Checker, default);
            await desk.SendAsync(batch.Code, Builder, default);
            var lines = await db.Payments.Where(p => p.BatchId == batch.Id).Select(p => p.LineNo).ToListAsync();
            var returned = Path.Combine(folder, "return.csv");
            await File.WriteAllTextAsync(returned, "batch_id,line_no,status,reason\n" + string.Concat(lines.Select(l => $"{batch.Code},{l},success,\n")));
            await desk.ImportReturnAsync(returned, Builder, default);
            paid += lines.Count;
        }
        Say($"{database.Provider}: {paid:N0} claims paid in batches of {Batch:N0} in {step.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>Person <paramref name="n"/>: born 1968–2003, 500 a birth day, in a division no demo person has.</summary>
    private static (string Id, string Name, string Phone) Person(Random random, int n)
    {
        const string surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾";
        const string given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志";
        var birth = new DateOnly(1968, 1, 1).AddDays(n / 500);
        var body = "330281" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 500 * 2 + random.Next(2)).ToString("D3", CultureInfo.InvariantCulture);
        var name = $"{surnames[random.Next(surnames.Length)]}{given[random.Next(given.Length)]}{given[random.Next(given.Length)]}";
        return (body + IdNumber.CheckCharacter(body), name, $"139{n:D8}");
    }

    /// <summary>One stay for every fifth member, discharged between May and November of this period.</summary>
    private static async Task WriteSettlementsAsync(string path, int members, Random random)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync(SettlementHeader);
        var replay = new Random(2026);
        for (var n = 0; n < members; n++)
        {
            var (id, name, _) = Person(replay, n);
            if (n % 5 == 0)
                await writer.WriteLineAsync(SettlementLine(random, $"C{n + 1:D9}", id, name, Period.AddDays(random.Next(5, 200))));
        }
    }
}
