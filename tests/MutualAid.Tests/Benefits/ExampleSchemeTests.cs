using MutualAid.Benefits;

namespace MutualAid.Tests.Benefits;

/// <summary>The schemes shipped in schemes/ are valid and the README's example runs.</summary>
public sealed class ExampleSchemeTests
{
    public static TheoryData<string> Files() => [.. Directory.GetFiles(TestPaths.Schemes, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ExampleScheme_ReadsWithoutProblemsOrWarnings(string file)
    {
        var problems = new Problems();
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Schemes, file), TestContext.Current.CancellationToken));

        var scheme = SchemeReader.Read(document.RootElement, "", problems);

        Assert.NotNull(scheme);
        Assert.Empty(problems.Errors);
        Assert.Empty(problems.Warnings);
    }

    [Fact]
    public void ExampleSchemes_CoverTheThreeCitiesStyles()
    {
        var plans = Directory.GetFiles(TestPaths.Schemes, "*.json").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => SchemeReader.Parse(File.ReadAllText(f)).Plans.Count);

        Assert.Equal(4, plans["ningbo"]);
        Assert.Equal(3, plans["changchun"]);
        Assert.Equal(5, plans["baoji"]);
        Assert.Equal(3, plans["taizhou"]);
    }

    [Fact]
    public async Task ReadmeExample_ExplainsEveryPayout()
    {
        var run = await CliRunner.RunAsync("calc", "--explain", "--scheme",
            Path.Combine(TestPaths.Schemes, "ningbo.json"), Path.Combine(TestPaths.Repository, "examples", "ningbo-2024.json"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("定额 10,000.00 元 × 3 份 = 30,000.00 元", run.Stdout);
        Assert.Contains("事件发生在等待期内", run.Stdout);
        Assert.Contains("合计给付 44,800.00 元", run.Stdout);
    }

    [Fact]
    public async Task CalcWithSchemeFile_WhenSchemeInvalid_NamesTheSchemeFile()
    {
        var scheme = Path.Combine(Path.GetTempPath(), $"bad-scheme-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(scheme, """{ "scheme": "S", "plans": [] }""", TestContext.Current.CancellationToken);

        var run = await CliRunner.RunAsync("calc", "--scheme", scheme, Path.Combine(TestPaths.Repository, "examples", "ningbo-2024.json"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(Path.GetFileName(scheme) + ": plans", run.Stderr);
    }

    [Fact]
    public async Task SchemeCheck_OnExample_SummarisesThePlans()
    {
        var run = await CliRunner.RunAsync("scheme", "check", Path.Combine(TestPaths.Schemes, "baoji.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("BAOJI-STYLE", run.Stdout);
        Assert.Contains("5 个计划", run.Stdout);
    }
}
