using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Organisation;
using MutualAid.Schemes;
using MutualAid.Settlements;
using MutualAid.Units;
using Npgsql;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// A settlement file of one stay for each of N enrolled members, imported and adjudicated end
/// to end (read, check every row, write settlements, compute and write claims, lines,
/// transitions and SMS), on SQLite and on PostgreSQL; beside it the database's own bulk load of
/// the same file into a bare table (<c>sqlite3 .import</c>, <c>psql \copy</c>), and its own load
/// of exactly the rows the pipeline wrote, into the same tables with their keys and indexes
/// (dumped, deleted, loaded again by <c>sqlite3</c> and <c>psql \copy</c>). The import runs in a
/// child process so its peak memory is its own.
/// </summary>
internal static class SettlementBenchmark
{
    private const string Unit = "91330203MA00000010";
    private static readonly DateOnly Start = new(2026, 1, 1);

    /// <summary>The tables the pipeline writes, parents first.</summary>
    private static readonly string[] Written = ["settlements", "claims", "claim_lines", "claim_transitions", "notices"];

    public static async Task RunAsync(int rows, bool postgresOnly = false)
    {
        var folder = Directory.CreateTempSubdirectory("mutualaid-bench-");
        var file = Path.Combine(folder.FullName, "settlements.csv");
        var roster = Path.Combine(folder.FullName, "roster.csv");
        var people = People(rows);
        await File.WriteAllTextAsync(roster, "序号,姓名,身份证号,手机号\n" + string.Concat(people.Select((p, i) => $"{i + 1},{p.Name},{p.Id},{p.Phone}\n")), Encoding.UTF8);
        await WriteSettlementsAsync(file, people);
        Say($"{rows:N0} settlements for {rows:N0} members enrolled in INPATIENT; file {new FileInfo(file).Length / 1024.0 / 1024.0:0.0} MB");

        var postgres = Environment.GetEnvironmentVariable("MUTUALAID_BENCH_PG");
        var sqlite = Database.Parse($"Data Source={Path.Combine(folder.FullName, "bench.db")}");
        if (!postgresOnly)
            await MeasureAsync(sqlite, roster, file, rows, () => RawSqliteAsync(Path.Combine(folder.FullName, "raw.db"), file), folder.FullName);
        if (!string.IsNullOrEmpty(postgres))
        {
            // The set-up's roster of a million is one COPY: past Npgsql's 30 s on a busy machine, and the retry runs the whole import again.
            var database = await FreshPostgresAsync(new NpgsqlConnectionStringBuilder(postgres) { CommandTimeout = 900 }.ConnectionString, "mutualaid_bench_settlements");
            await MeasureAsync(database, roster, file, rows, () => RawPostgresAsync(database.ConnectionString, file), folder.FullName);
        }
        else
        {
            Say($"PostgreSQL skipped: set MUTUALAID_BENCH_PG=Host=…;Username=… to measure it");
        }
        // MUTUALAID_BENCH_KEEP=1 keeps the file and the roster (for a profiler: settlements-import CONNECTION FILE).
        if (Environment.GetEnvironmentVariable("MUTUALAID_BENCH_KEEP") != "1")
            folder.Delete(recursive: true);
        else
            Say($"kept {folder.FullName}");
    }

    /// <summary>The child process: import and adjudicate, then say the time and the peak working set.</summary>
    public static async Task ImportAsync(string connection, string file)
    {
        var database = Database.Parse(connection);
        await using var db = database.CreateContext();
        var clock = Stopwatch.StartNew();
        var (report, claims) = await new SettlementFeed(db, TimeProvider.System).HandleAsync(file, default);
        var total = clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        Say($"{total:0.00} {self.PeakWorkingSet64 / 1024 / 1024} {report.Imported} {report.Rejected.Count} {claims.Claims} {claims.Total:0.00} {self.TotalProcessorTime.TotalSeconds:0.00}");
    }

    private static async Task MeasureAsync(Database database, string roster, string file, int rows, Func<Task<double>> raw, string folder)
    {
        await SetUpAsync(database, roster, rows);
        var rawSeconds = await raw();
        var before = await LastIdsAsync(database);
        var child = Process.Start(new ProcessStartInfo("dotnet", [typeof(SettlementBenchmark).Assembly.Location, "settlements-import", database.ConnectionString, file])
        {
            RedirectStandardOutput = true,
        })!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0)
            throw new InvalidOperationException("import failed: " + output);
        var figures = output.Trim().Split(' ');
        var total = double.Parse(figures[0], CultureInfo.InvariantCulture);
        var (design, written) = await DesignLoadAsync(database, before, folder);
        Say($"{database.Provider,-8} raw bulk load {rawSeconds,6:0.00} s | import and claims {total,6:0.00} s  {rows / total,8:N0} rows/s  ratio {total / rawSeconds:0.0}x  peak {figures[1]} MB  processor {figures[6]} s  (imported {figures[2]}, rejected {figures[3]}, claims {figures[4]}, paid {figures[5]} yuan)");
        Say($"{database.Provider,-8} its own load of the {written:N0} rows written ({string.Join(", ", Written)}) {design,6:0.00} s = {design / rawSeconds:0.0}x raw; the pipeline {total / design:0.00}x that");
    }

    /// <summary>The largest id of each written table before the run: the rows above it are the pipeline's.</summary>
    private static async Task<Dictionary<string, long>> LastIdsAsync(Database database)
    {
        await using var db = database.CreateContext();
        var last = new Dictionary<string, long>();
        foreach (var table in Written)
        {
            var sql = $"SELECT COALESCE(MAX(id), 0) AS \"Value\" FROM {table}";
            last[table] = await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
        }
        return last;
    }

    /// <summary>
    /// The rows the pipeline wrote, dumped, deleted and loaded again by the database's own tool into
    /// the same tables (keys, foreign keys and indexes in place): the floor the design sets. The
    /// time of the load alone; the rows written.
    /// </summary>
    private static async Task<(double Seconds, long Rows)> DesignLoadAsync(Database database, Dictionary<string, long> before, string folder)
    {
        long rows = 0;
        await using (var db = database.CreateContext())
        {
            foreach (var table in Written)
            {
                var sql = $"SELECT COUNT(*) AS \"Value\" FROM {table} WHERE id > {before[table]}";
                rows += await db.Database.SqlQueryRaw<long>(sql).SingleAsync();
            }
        }
        var dumps = Written.ToDictionary(t => t, t => Path.Combine(folder, $"{t}.dump"));
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            foreach (var table in Written)
                await RunAsync("sqlite3", [path, $".mode insert {table}", $".output {dumps[table]}", $"SELECT * FROM {table} WHERE id > {before[table]}"]);
            await RunAsync("sqlite3", [path, "PRAGMA foreign_keys=ON", .. Written.Reverse().Select(t => $"DELETE FROM {t} WHERE id > {before[t]}")]);
            // One transaction, foreign keys checked, as the application's connection does.
            var clock = Stopwatch.StartNew();
            await RunAsync("sqlite3", [path, "PRAGMA foreign_keys=ON", "BEGIN", .. Written.Select(t => $".read {dumps[t]}"), "COMMIT"]);
            return (clock.Elapsed.TotalSeconds, rows);
        }
        foreach (var table in Written)
            await PsqlAsync(database, ["-c", $"\\copy (SELECT * FROM {table} WHERE id > {before[table]}) TO '{dumps[table]}'"]);
        await PsqlAsync(database, [.. Written.Reverse().SelectMany(t => new[] { "-c", $"DELETE FROM {t} WHERE id > {before[t]}" }), "-c", $"VACUUM ANALYZE {string.Join(", ", Written)}"]);
        var watch = Stopwatch.StartNew();
        await PsqlAsync(database, ["-1", .. Written.SelectMany(t => new[] { "-c", $"\\copy {t} FROM '{dumps[t]}'" })]);
        return (watch.Elapsed.TotalSeconds, rows);
    }

    private static async Task RunAsync(string tool, string[] arguments, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(tool, arguments);
        configure?.Invoke(start);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments.Take(3))} failed");
    }

    private static Task PsqlAsync(Database database, string[] arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return RunAsync("psql", ["-v", "ON_ERROR_STOP=1", "-q", .. arguments], psql =>
        {
            psql.Environment["PGHOST"] = builder.Host;
            psql.Environment["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture);
            psql.Environment["PGUSER"] = builder.Username;
            psql.Environment["PGDATABASE"] = builder.Database;
        });
    }

    /// <summary>Scheme, unit and members enrolled through the real roster import; the premiums then marked paid directly (not measured).</summary>
    private static async Task SetUpAsync(Database database, string roster, int rows)
    {
        await database.MigrateAsync();
        await using var db = database.CreateContext();
        await new LoadScheme(db, TimeProvider.System).HandleAsync(await File.ReadAllTextAsync(Path.Combine(Repository(), "schemes", "ningbo.json")), default);
        var org = new OrganisationCommands(db);
        await org.SetRegionAsync("330200", "宁波市", default);
        await org.AddDistrictAsync("330203", "海曙区", default);
        await new UnitCommands(db).SaveAsync(new UnitInput(Unit, "大型企业", "330203", "国企", rows, rows / 2), default);
        var report = await new ImportRoster(db, TimeProvider.System).HandleAsync(roster, new RosterOptions(Unit, null, ["INPATIENT"], Start), MutualAid.Auditing.Actor.System("bench"), default);
        if (!report.Written)
            throw new InvalidOperationException(string.Join("; ", report.Problems.Take(5)));
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.ExecuteSqlRawAsync("UPDATE enrollments SET status = 'Active', paid_on = start, coverage_start = start");
    }

    private static async Task WriteSettlementsAsync(string path, List<(string Id, string Name, string Phone)> people)
    {
        var random = new Random(7);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync(SettlementHeader);
        for (var i = 0; i < people.Count; i++)
            await writer.WriteLineAsync(SettlementLine(random, $"S{i + 1:D9}", people[i].Id, people[i].Name, Start.AddDays(random.Next(0, 330))));
    }

    private static async Task<double> RawSqliteAsync(string path, string file)
    {
        var clock = Stopwatch.StartNew();
        using var sqlite = Process.Start(new ProcessStartInfo("sqlite3", [path, ".mode csv", $".import {file} raw_settlements"]))!;
        await sqlite.WaitForExitAsync();
        return sqlite.ExitCode == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException("sqlite3 .import failed");
    }

    private static async Task<double> RawPostgresAsync(string connection, string file)
    {
        var columns = string.Join(", ", ImportSettlements.Required.Concat(ImportSettlements.Optional).Select(c => c + " text"));
        var clock = Stopwatch.StartNew();
        await PsqlAsync(Database.Parse(connection), ["-c", $"CREATE TABLE raw_settlements ({columns})", "-c", $"\\copy raw_settlements FROM '{file}' CSV HEADER"]);
        return clock.Elapsed.TotalSeconds;
    }
}
