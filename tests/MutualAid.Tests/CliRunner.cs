using System.Diagnostics;

namespace MutualAid.Tests;

/// <summary>Runs the built <c>mutualaid</c> CLI as a separate process, as a script or CI would.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(params string[] args) => RunAsync([], args);

    /// <summary>Runs a verb on the test's database: <c>--db</c> and its document folder (<c>MUTUALAID_DOCUMENTS</c>) given.</summary>
    public static Task<Result> RunAsync(Data.TestDatabase database, params string[] args) =>
        RunAsync([(MutualAid.Data.Database.DocumentsVariable, database.Database.DocumentFolder)], [.. args, "--db", database.Database.ConnectionString]);

    private static async Task<Result> RunAsync((string Name, string Value)[] environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(TestPaths.Cli);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
