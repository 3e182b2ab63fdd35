using System.Diagnostics;
using System.Globalization;
using System.Text;
using MiniExcelLibs;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Organisation;
using MutualAid.Schemes;
using MutualAid.Units;
using Npgsql;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// A unit's 100,000-member roster imported and enrolled end to end (read, check, write) from
/// .csv and from .xlsx, on SQLite and on PostgreSQL, each into a fresh database; then the
/// same file again, which must change nothing.
/// </summary>
internal static class ImportBenchmark
{
    private const string Unit = "91330203MA00000010";

    public static async Task RunAsync(int rows)
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-bench-");
        var people = People(rows);
        var csv = Path.Combine(folder.FullName, "roster.csv");
        var xlsx = Path.Combine(folder.FullName, "roster.xlsx");
        await File.WriteAllTextAsync(csv, "序号,姓名,身份证号,手机号\n" + string.Concat(people.Select((p, i) => $"{i + 1},{p.Name},{p.Id},{p.Phone}\n")), Encoding.UTF8);
        MiniExcel.SaveAs(xlsx, people.Select((p, i) => new Dictionary<string, object> { ["序号"] = i + 1, ["姓名"] = p.Name, ["身份证号"] = p.Id, ["手机号"] = p.Phone }));
        Say($"roster of {rows:N0} workers, enrolled in INPATIENT; end to end: read, check every row, write members and enrollments");

        var postgres = Environment.GetEnvironmentVariable("MUTUALAID_BENCH_PG");
        foreach (var file in new[] { csv, xlsx })
        {
            await MeasureAsync(Database.Parse($"Data Source={Path.Combine(folder.FullName, $"bench-{Path.GetExtension(file)[1..]}.db")}"), file, rows);
            if (!string.IsNullOrEmpty(postgres))
                await MeasureAsync(await FreshPostgresAsync(postgres, $"mutualaid_bench_{Path.GetExtension(file)[1..]}"), file, rows);
        }
        if (string.IsNullOrEmpty(postgres))
            Say($"PostgreSQL skipped: set MUTUALAID_BENCH_PG=Host=…;Username=… to measure it");
        folder.Delete(recursive: true);
    }

    private static async Task MeasureAsync(Database database, string file, int rows)
    {
        await database.MigrateAsync();
        await using (var db = database.CreateContext())
        {
            await new LoadScheme(db, TimeProvider.System).HandleAsync(await File.ReadAllTextAsync(Path.Combine(BenchSupport.Repository(), "schemes", "ningbo.json")), default);
            var org = new OrganisationCommands(db);
            await org.SetRegionAsync("330200", "宁波市", default);
            await org.AddDistrictAsync("330203", "海曙区", default);
            await new UnitCommands(db).SaveAsync(new UnitInput(Unit, "大型企业", "330203", "国企", rows, rows / 2), default);
        }
        var options = new RosterOptions(Unit, null, ["INPATIENT"], new DateOnly(2026, 5, 1));
        foreach (var pass in new[] { "first import", "same file again" })
        {
            await using var db = database.CreateContext();
            var clock = Stopwatch.StartNew();
            var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(file, options, MutualAid.Auditing.Actor.System("bench"), default);
            clock.Stop();
            var seconds = clock.Elapsed.TotalSeconds;
            Say($"{database.Provider,-8} {Path.GetExtension(file),-5} {pass,-15} {seconds,6:0.00} s  {rows / seconds,8:N0} members/s  (added {report.MembersAdded:N0}, enrolled {report.Enrolled:N0}, unchanged {report.MembersUnchanged:N0})");
        }
    }
}
