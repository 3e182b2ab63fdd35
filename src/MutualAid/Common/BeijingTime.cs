namespace MutualAid.Common;

/// <summary>
/// The one business clock: moments are UTC from the injected <see cref="TimeProvider"/>; the
/// business day and the times shown to people are Beijing's (UTC+8, no daylight saving).
/// </summary>
public static class BeijingTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The moment now, in UTC, as stored.</summary>
    public static DateTime Now(this TimeProvider clock) => clock.GetUtcNow().UtcDateTime;

    /// <summary>Today's date in Beijing.</summary>
    public static DateOnly Today(this TimeProvider clock) => Day(clock.Now());

    /// <summary>The business day of a stored UTC moment.</summary>
    public static DateOnly Day(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    /// <summary>The UTC moment a Beijing day begins, as stored (kind UTC: PostgreSQL refuses an unspecified one).</summary>
    public static DateTime StartOf(DateOnly day) => DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);

    /// <summary>A stored UTC moment as Beijing's wall clock, for display.</summary>
    public static DateTime Local(DateTime utc) => utc + Offset;
}
