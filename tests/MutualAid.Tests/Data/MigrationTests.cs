using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Tests.Data;

public sealed class MigrationTests
{
    [Theory]
    [InlineData("Data Source=model-check.db")]
    [InlineData("Host=localhost;Database=model-check")]
    public void Migrations_OfEachProvider_HaveNoPendingModelChanges(string connection)
    {
        using var db = Database.Parse(connection).CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(), $"run dotnet ef migrations add for {db.Database.ProviderName}");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_OnANewDatabase_AppliesEveryMigration(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Schemes.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("x.db", DatabaseProvider.Sqlite, "Data Source=x.db")]
    [InlineData("Data Source=/tmp/a.db", DatabaseProvider.Sqlite, "Data Source=/tmp/a.db")]
    [InlineData("Host=db;Database=m;Password=secret", DatabaseProvider.Postgres, "Host=db;Database=m;Password=***")]
    public void Parse_ChoosesTheProviderByConnectionString(string? connection, DatabaseProvider provider, string display)
    {
        var database = Database.Parse(connection);

        Assert.Equal(provider, database.Provider);
        Assert.Equal(display, database.Display);
    }

    [Fact]
    public void Parse_WithNothing_IsTheCheckoutsDataFile_WhereverItRunsFrom()
    {
        var database = Database.Parse(null);

        // The tests run in the checkout's bin folder; the CLI and the web app in other folders of it.
        Assert.Equal($"Data Source={Path.Combine(TestPaths.Repository, "data", "mutualaid.db")}", database.Display);
    }
}
