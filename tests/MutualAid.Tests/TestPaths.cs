namespace MutualAid.Tests;

/// <summary>Where the repository and the shared folder beside it are.</summary>
internal static class TestPaths
{
    public static string Repository { get; } = FindRepository();

    /// <summary>../shared/conformance beside the checkout; CI always has it.</summary>
    public static string Conformance => Path.GetFullPath(Path.Combine(Repository, "..", "shared", "conformance"));

    public static string Schemes => Path.Combine(Repository, "schemes");

    /// <summary>The CLI as built beside the tests.</summary>
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "mutualaid.dll");

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MutualAid.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("MutualAid.slnx not found above " + AppContext.BaseDirectory);
    }
}
