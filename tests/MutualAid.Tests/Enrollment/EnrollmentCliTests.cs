using System.Text.Json;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Enrollment;

/// <summary>The database verbs through the CLI, as a script runs them with --json.</summary>
public sealed class EnrollmentCliTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verbs_FromMigrateToCoverage_WorkWithJsonOutput(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.Database.ConnectionString;
        var roster = RosterFiles.Write("csv", Seed.RosterHeader, Seed.Workers());

        async Task<JsonElement> Run(params string[] args)
        {
            var run = await CliRunner.RunAsync([.. args, "--db", db, "--json"]);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', args)}: {run.Stderr}");
            return JsonDocument.Parse(run.Stdout).RootElement;
        }

        await Run("db", "migrate");
        await Run("scheme", "load", Path.Combine(TestPaths.Schemes, "ningbo.json"));
        await CliRunner.RunAsync("org", "region", "330200", "宁波市", "--db", db);
        await CliRunner.RunAsync("org", "district", "330203", "海曙区", "--db", db);
        await Run("unit", "add", Seed.UnitA, "甲公司", "--district", "330203", "--kind", "民企", "--headcount", "5", "--women", "3");
        var import = await Run("import", "roster", roster, "--unit", Seed.UnitA, "--plans", "INPATIENT", "--start", "2024-05-01");
        var pay = await Run("premium", "pay", "--unit", Seed.UnitA, "--start", "2024-05-01", "--amount", "300", "--on", "2024-04-01", "--ref", "B1");
        var coverage = await Run("report", "coverage", "--plan", "INPATIENT", "--on", "2024-06-01");

        Assert.Equal(5, import.GetProperty("enrolled").GetInt32());
        Assert.Equal(5, pay.GetProperty("activated").GetInt32());
        Assert.Equal(1.0m, coverage.GetProperty("districts")[0].GetProperty("workerRate").GetDecimal());
    }

    [Fact]
    public async Task Verb_OnADatabaseNotMigrated_SaysToMigrate()
    {
        var file = Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}.db");

        var run = await CliRunner.RunAsync("scheme", "list", "--db", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("mutualaid db migrate", run.Stderr);
        Assert.False(File.Exists(file), "no empty database is left behind");
    }

    [Fact]
    public async Task ImportRoster_WithBadRows_ExitsTwoListingEachRow()
    {
        await using var database = await Seed.CityAsync("sqlite");
        var rows = Seed.Workers();
        rows[1][2] = "330203198001010037";
        var roster = RosterFiles.Write("csv", Seed.RosterHeader, rows);

        var run = await CliRunner.RunAsync("import", "roster", roster, "--unit", Seed.UnitA, "--db", database.Database.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("第 3 行 身份证号“330203198001010037”：身份证号校验位错误", run.Stderr);
        Assert.Contains("未导入任何数据", run.Stdout);
    }

    [Fact]
    public async Task Template_WritesAnExcelFileTheImportReads()
    {
        var file = Path.Combine(Path.GetTempPath(), $"template-{Guid.NewGuid():N}.xlsx");

        var run = await CliRunner.RunAsync("template", "roster", "-o", file);

        Assert.Equal(0, run.ExitCode);
        var table = MutualAid.Importing.TableFile.Open(file);
        Assert.Equal(MutualAid.Importing.ImportRoster.Template, table.Headers);
        Assert.All(table.Rows(), row => Assert.True(row.IsBlank));
    }
}
