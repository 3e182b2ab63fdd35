using MutualAid.Auditing;
using MutualAid.Payments;

namespace MutualAid.Tests;

/// <summary>Who acts in the tests: a named person at the CLI, and the bank file written as `payments export` writes it.</summary>
internal static class TestActors
{
    public static readonly Actor Tester = Actor.Cli("tester");

    public static Actor As(string user) => Actor.Cli(user);

    /// <summary>Sends the batch to the bank as <paramref name="by"/> and writes its file into the folder, as the CLI does.</summary>
    public static async Task<string> ExportAsync(this PaymentDesk desk, string code, string folder, CancellationToken cancellationToken, string by = "finance1")
    {
        var file = await desk.SendAsync(code, As(by), cancellationToken);
        var path = Path.Combine(Directory.CreateDirectory(folder).FullName, file.Name);
        await File.WriteAllBytesAsync(path, file.Content, cancellationToken);
        return path;
    }
}
