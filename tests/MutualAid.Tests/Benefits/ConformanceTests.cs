using System.Text.Json.Nodes;

namespace MutualAid.Tests.Benefits;

/// <summary>
/// Every worked case in ../shared/conformance, run through the CLI exactly as the spec
/// says: the file stripped of "expected" and "about", then <c>mutualaid calc</c>.
/// A new file there is a new test; no code changes.
/// </summary>
public sealed class ConformanceTests
{
    private const string Missing = "(../shared/conformance is missing)";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        if (!Directory.Exists(TestPaths.Conformance))
        {
            data.Add(Missing);
            return data;
        }
        foreach (var file in Directory.GetFiles(TestPaths.Conformance, "*.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Calc_OnConformanceCase_GivesExpected(string name)
    {
        if (name == Missing)
            Assert.Skip($"no conformance cases: {TestPaths.Conformance} does not exist (CI has ../shared beside the checkout)");

        var conformanceCase = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.Conformance, name), TestContext.Current.CancellationToken))!.AsObject();
        var expected = conformanceCase["expected"]!;
        conformanceCase.Remove("expected");
        conformanceCase.Remove("about");
        var input = Path.Combine(Path.GetTempPath(), $"mutualaid-conformance-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, conformanceCase.ToJsonString(), TestContext.Current.CancellationToken);
        try
        {
            var run = await CliRunner.RunAsync("calc", input);

            if (expected["exitCode"] is { } exitCode)
            {
                Assert.Equal((int)exitCode, run.ExitCode);
                Assert.Equal("", run.Stdout);
                Assert.NotEmpty(run.Stderr);
                return;
            }
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(expected.ToJsonString(), JsonNode.Parse(run.Stdout)!.ToJsonString());
        }
        finally
        {
            File.Delete(input);
        }
    }
}
