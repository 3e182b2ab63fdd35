using MutualAid.Common;

namespace MutualAid.Tests.Common;

public sealed class DateRangeTests
{
    private static readonly DateOnly Jan1 = new(2024, 1, 1);
    private static readonly DateOnly Dec31 = new(2024, 12, 31);

    [Fact]
    public void Days_CountsBothEnds()
    {
        Assert.Equal(366, new DateRange(Jan1, Dec31).Days);
        Assert.Equal(1, new DateRange(Jan1, Jan1).Days);
    }

    [Fact]
    public void Constructor_WhenEndBeforeStart_Throws() =>
        Assert.Throws<ArgumentException>(() => new DateRange(Dec31, Jan1));

    [Fact]
    public void Contains_IncludesBothEnds()
    {
        var year = new DateRange(Jan1, Dec31);
        Assert.True(year.Contains(Jan1));
        Assert.True(year.Contains(Dec31));
        Assert.False(year.Contains(Dec31.AddDays(1)));
        Assert.False(year.Contains(Jan1.AddDays(-1)));
    }

    [Fact]
    public void Overlaps_WhenSharingOneDay_IsTrue()
    {
        var year = new DateRange(Jan1, Dec31);
        Assert.True(year.Overlaps(new DateRange(Dec31, Dec31.AddDays(10))));
        Assert.False(year.Overlaps(new DateRange(Dec31.AddDays(1), Dec31.AddDays(10))));
    }

    [Fact]
    public void GapTo_TheNextDay_IsOne() =>
        Assert.Equal(1, new DateRange(Jan1, Dec31).GapTo(new DateRange(Dec31.AddDays(1), Dec31.AddDays(365))));
}
