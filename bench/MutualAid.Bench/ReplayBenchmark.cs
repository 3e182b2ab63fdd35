using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using MutualAid.Replay;
using static MutualAid.Bench.BenchSupport;

namespace MutualAid.Bench;

/// <summary>
/// 重算 and 测算 on a city kept by <c>city N keep.db</c> (or any database): the year's claims recomputed, and the
/// year replayed under the stored scheme as a draft; seconds and seconds per 100,000 claims.
/// </summary>
internal static class ReplayBenchmark
{
    public static async Task RunAsync(string connection, int year)
    {
        var database = Database.Parse(connection.Contains('=', StringComparison.Ordinal) ? connection : $"Data Source={connection}");
        await using var db = database.CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var (clock, cpu) = (Stopwatch.StartNew(), Cpu());
        var summary = await new Recompute(db).RunAsync(year, null, _ => { }, default);
        var (recompute, recomputeCpu) = (clock.Elapsed.TotalSeconds, Cpu() - cpu);
        Say($"recompute {year}: {summary.Claims} claims in {recompute:0.0} s ({recomputeCpu:0.0} s of processor), {recompute * 100_000 / Math.Max(1, summary.Claims):0.0} s per 100k; {summary.Text}");
        var whatIf = new WhatIf(db);
        var draft = await whatIf.DocumentAsync((await whatIf.SchemesAsync(default))[0].Code, default);
        (cpu, clock) = (Cpu(), Stopwatch.StartNew());
        var report = await whatIf.RunAsync(draft!, year, default);
        var (replay, replayCpu) = (clock.Elapsed.TotalSeconds, Cpu() - cpu);
        Say($"whatif {year}: {report.Claims} claims in {replay:0.0} s ({replayCpu:0.0} s of processor), {replay * 100_000 / Math.Max(1, report.Claims):0.0} s per 100k; difference {report.Total.Difference.ToDisplayString()}");
        Say($"managed memory after: {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024} MB");
    }

    /// <summary>The processor time this process has used (all threads), seconds: on a shared machine, the figure the others' load does not inflate.</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
