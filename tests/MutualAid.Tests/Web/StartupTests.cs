using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>Several web instances on one PostgreSQL never race to change its schema: `mutualaid db migrate` does, as its own step.</summary>
public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnPostgreSQL_TheWebDoesNotMigrate_AndRefusesAnOutdatedSchema_UntilDbMigrate()
    {
        await using var empty = await TestDatabase.CreateEmptyPostgresAsync();
        await using var services = new ServiceCollection().AddSingleton(empty.Database).AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var health = new MutualAid.Web.DatabaseHealth(empty.Database);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MutualAid.Web.Startup.PrepareAsync(services, NullLogger.Instance));
        var sick = await health.CheckHealthAsync(new(), Ct);
        var migrated = await CliRunner.RunAsync(["db", "migrate", "--db", empty.Database.ConnectionString]);
        await MutualAid.Web.Startup.PrepareAsync(services, NullLogger.Instance);
        var well = await health.CheckHealthAsync(new(), Ct);

        Assert.Contains("请先运行 mutualaid db migrate", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, sick.Status);
        Assert.True(migrated.ExitCode == 0, migrated.Stderr);
        Assert.Empty(await empty.Database.PendingMigrationsAsync(Ct));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, well.Status);
    }
}
