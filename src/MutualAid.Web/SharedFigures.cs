using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Organisation;

namespace MutualAid.Web;

/// <summary>Figures as a page shows them, with the moment they were counted; <see cref="Current"/> is false while newer ones are being counted.</summary>
public sealed record SharedFigure<T>(T Value, DateTime CountedAt, bool Current);

/// <summary>
/// Figures that a city's database takes long to count (the home page's, the city's side of a unit's
/// disclosure), shared by every page of the same key. They stay current while nothing happens:
/// every event writes an audit line, so the last audit id is the data's version, and a minute's age
/// also counts as a change (claims fall overdue by the clock). When the data has moved on, figures
/// that counted fast are counted again at once; figures that took longer than <see cref="Slow"/> are
/// shown as they were, with the time they were counted, while one background count brings them up
/// to date, so no page waits for a city-wide count but the first after the server starts.
/// </summary>
public sealed partial class SharedFigures(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SharedFigures> log)
{
    public static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    /// <summary>Keys come from scopes and filters; past this many, start afresh rather than grow without end.</summary>
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    private sealed class Entry
    {
        public object? Value;
        public long Version;
        public DateTime CountedAt;
        public TimeSpan Took;
        public bool Refreshing;
    }

    public async Task<SharedFigure<T>> GetAsync<T>(MutualAidDbContext db, string key, Func<MutualAidDbContext, DateTime, Task<T>> count)
    {
        // Each region counts its own figures (RegionDirectory): the key and the background count stay in the region.
        var region = RegionDirectory.SchemaOf(db);
        key = $"{region}|{key}";
        var version = await VersionAsync(db);
        var now = clock.Now();
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            if (entry.Value is T value)
            {
                if (entry.Version == version && now - entry.CountedAt < MaxAge)
                    return new(value, entry.CountedAt, true);
                if (entry.Took >= Slow)
                {
                    if (!entry.Refreshing)
                    {
                        entry.Refreshing = true;
                        _ = Task.Run(() => RefreshAsync(entry, key, region, count));
                    }
                    return new(value, entry.CountedAt, false);
                }
            }
        }
        return new(await CountAsync(entry, db, version, now, count), now, true);
    }

    private static async Task<long> VersionAsync(MutualAidDbContext db) => await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;

    private static async Task<T> CountAsync<T>(Entry entry, MutualAidDbContext db, long version, DateTime now, Func<MutualAidDbContext, DateTime, Task<T>> count)
    {
        var watch = Stopwatch.StartNew();
        var value = await count(db, now);
        lock (entry)
        {
            // Two pages may count at once; the figures of the later data win.
            if (entry.Value is null || version > entry.Version || (version == entry.Version && now > entry.CountedAt))
                (entry.Value, entry.Version, entry.CountedAt, entry.Took) = (value, version, now, watch.Elapsed);
        }
        return value;
    }

    private async Task RefreshAsync<T>(Entry entry, string key, string? region, Func<MutualAidDbContext, DateTime, Task<T>> count)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MutualAidDbContext>();
            if (region is not null)
                RegionDirectory.Use(db, scope.ServiceProvider.GetRequiredService<Database>(), region);
            await CountAsync(entry, db, await VersionAsync(db), clock.Now(), count);
        }
        catch (Exception e)
        {
            RefreshFailed(log, e, key);
        }
        finally
        {
            lock (entry)
                entry.Refreshing = false;
        }
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "统计数字 {Key} 更新失败")]
    private static partial void RefreshFailed(ILogger logger, Exception exception, string key);
}
