using Microsoft.Extensions.Diagnostics.HealthChecks;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>The web is healthy when its database answers and has every migration (<c>/health</c>).</summary>
public sealed class DatabaseHealth(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = await database.PendingMigrationsAsync(cancellationToken);
            return pending.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"数据库尚缺 {pending.Count} 个迁移");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("数据库无法连接", e);
        }
    }
}
