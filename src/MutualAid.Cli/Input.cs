using MutualAid.Benefits;

namespace MutualAid.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Invalid = 2;
}

/// <summary>Reading input files and reporting their problems on stderr.</summary>
internal static class Input
{
    /// <summary>The file's text, or null after saying on stderr why it cannot be read.</summary>
    public static string? ReadText(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{file.Name}: 无法读取文件 (cannot read the file): {e.Message}");
            return null;
        }
    }

    /// <summary>A scheme file read and checked, or null after listing its problems on stderr.</summary>
    public static Scheme? ReadScheme(FileInfo file, bool showWarnings = false)
    {
        if (ReadText(file) is not { } json)
            return null;
        try
        {
            var scheme = SchemeReader.Parse(json, out var warnings);
            if (showWarnings)
            {
                foreach (var warning in warnings)
                    Console.Error.WriteLine($"{file.Name}: 提示 {warning}");
            }
            return scheme;
        }
        catch (InvalidInputException e)
        {
            Report(file, e.Problems);
            return null;
        }
    }

    public static void Report(FileInfo file, IEnumerable<Problem> problems)
    {
        foreach (var problem in problems)
            Console.Error.WriteLine($"{file.Name}: {problem}");
    }
}
