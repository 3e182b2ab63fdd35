namespace MutualAid.Bench;

internal static class BenchSupport
{
    public static void Say(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

    /// <summary>The checkout, found upwards from the build output by its schemes/ folder.</summary>
    public static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "schemes")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("schemes/ not found above " + AppContext.BaseDirectory);
    }
}
