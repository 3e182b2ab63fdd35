using MutualAid.Auditing;
using MutualAid.Payments;

namespace MutualAid.Tests;

/// <summary>Who acts in the tests: a named person at the CLI, and the bank file written as `payments export` writes it.</summary>
internal static class TestActors
{
    public static readonly Actor Tester = Actor.Cli("tester");

    public static Actor As(string user) => Actor.Cli(user);

    /// <summary>Registers city-wide clerks, for the CLI verbs that act as a registered user (<c>--by</c>).</summary>
    public static async Task AddClerksAsync(Data.TestDatabase database, params string[] names)
    {
        await using var db = database.NewContext();
        foreach (var name in names)
            await MutualAid.Access.UserAdmin.For(db).AddAsync(new(name, name, MutualAid.Access.Roles.Clerk, null, null, null), "Demo2026!x", default);
    }

    /// <summary>Sends the batch to the bank as <paramref name="by"/> and writes its file into the folder, as the CLI does.</summary>
    public static async Task<string> ExportAsync(this PaymentDesk desk, string code, string folder, CancellationToken cancellationToken, string by = "finance1")
    {
        var file = await desk.SendAsync(code, As(by), cancellationToken);
        var path = Path.Combine(Directory.CreateDirectory(folder).FullName, file.Name);
        await File.WriteAllBytesAsync(path, file.Content, cancellationToken);
        return path;
    }
}
