namespace MutualAid.Common;

/// <summary>
/// Days from <see cref="Start"/> to <see cref="End"/>, both included: 2024-01-01..2024-12-31
/// is one year of 366 days. A one-day range has Start == End; End before Start is refused.
/// </summary>
public readonly record struct DateRange
{
    public DateRange(DateOnly start, DateOnly end)
    {
        if (end < start)
            throw new ArgumentException($"结束日期 {end:yyyy-MM-dd} 早于开始日期 {start:yyyy-MM-dd}", nameof(end));
        Start = start;
        End = end;
    }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(DateOnly day) => Start <= day && day <= End;

    public bool Overlaps(DateRange other) => Start <= other.End && other.Start <= End;

    /// <summary>Days from the end of this range to the start of a later one: 1 when it follows the next day.</summary>
    public int GapTo(DateRange later) => later.Start.DayNumber - End.DayNumber;

    public override string ToString() => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}";
}
