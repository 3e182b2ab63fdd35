using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MutualAid.Auditing;
using MutualAid.Data;
using MutualAid.Tests.Data;
using MutualAid.Web;

namespace MutualAid.Tests.Web;

/// <summary>
/// Figures shared between pages: current until an event (an audit line) happens; then a fast count
/// is made again at once, and a slow one is shown as it was while one background count updates it.
/// </summary>
public sealed class SharedFiguresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFastCount_IsCountedAgainAfterAnEvent_AndASlowOne_IsShownAsItWasWhileItIsCountedInTheBackground(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection()
            .AddDbContext<MutualAidDbContext>(database.Database.Configure)
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<SharedFigures>()
            .BuildServiceProvider();
        await using var _ = services;
        var figures = services.GetRequiredService<SharedFigures>();
        await using var db = database.NewContext();

        var fastCounts = 0;
        var slowCounts = 0;
        async Task<int> Fast(MutualAidDbContext context, DateTime now)
        {
            fastCounts++;
            return await context.AuditEntries.CountAsync(Ct);
        }
        async Task<int> Slow(MutualAidDbContext context, DateTime now)
        {
            await Task.Delay(SharedFigures.Slow * 2, Ct);
            Interlocked.Increment(ref slowCounts);
            return await context.AuditEntries.CountAsync(Ct);
        }

        var before = await db.AuditEntries.CountAsync(Ct);
        Assert.Equal(new[] { before, before }, new[] { (await figures.GetAsync(db, "fast", Fast)).Value, (await figures.GetAsync(db, "fast", Fast)).Value });
        Assert.Equal(1, fastCounts);
        var slow = await figures.GetAsync(db, "slow", Slow);
        Assert.Equal((before, true, 1), (slow.Value, slow.Current, slowCounts));
        Assert.Equal((before, true, 1), ((await figures.GetAsync(db, "slow", Slow)).Value, (await figures.GetAsync(db, "slow", Slow)).Current, slowCounts));

        db.AuditEntries.Add(new AuditEntry(DateTime.UtcNow, "tester", "测试", "figures", null, null));
        await db.SaveChangesAsync(Ct);

        var fast = await figures.GetAsync(db, "fast", Fast);
        Assert.Equal((before + 1, true, 2), (fast.Value, fast.Current, fastCounts));
        slow = await figures.GetAsync(db, "slow", Slow);
        Assert.Equal((before, false), (slow.Value, slow.Current));
        // Asked again and again while the background count runs: one count brings the figures up to date.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(slow = await figures.GetAsync(db, "slow", Slow)).Current && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.Equal((before + 1, true, 2), (slow.Value, slow.Current, slowCounts));
    }
}
