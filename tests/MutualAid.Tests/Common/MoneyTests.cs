using MutualAid.Common;

namespace MutualAid.Tests.Common;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("75.495", 7550)]
    [InlineData("75.485", 7549)]
    [InlineData("0.005", 1)]
    [InlineData("0.004999", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("-75.495", -7550)]
    [InlineData("2.5", 250)]
    public void RoundYuan_OnHalfFen_RoundsAwayFromZero(string yuan, long fen) =>
        Assert.Equal(fen, Money.RoundYuan(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)).Fen);

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(1.5, 2)]
    [InlineData(2.5, 3)]
    [InlineData(-2.5, -3)]
    public void RoundFen_OnHalf_IsNotBankersRounding(double fen, long expected) =>
        Assert.Equal(expected, Money.RoundFen((decimal)fen).Fen);

    [Fact]
    public void FromYuan_WithThreeDecimals_IsRefused()
    {
        Assert.False(Money.TryFromYuan(1.005m, out _));
        Assert.Throws<ArgumentException>(() => Money.FromYuan(1.005m));
    }

    [Fact]
    public void FromYuan_WithTwoDecimals_KeepsEveryFen() =>
        Assert.Equal(123456789L, Money.FromYuan(1234567.89m).Fen);

    [Fact]
    public void Add_WhenOverflowing_Throws() =>
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) + new Money(1));

    [Fact]
    public void Multiply_WhenOverflowing_Throws() =>
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue / 2) * 3);

    [Theory]
    [InlineData("1234.5", 123450)]
    [InlineData("1,234.50", 123450)]
    [InlineData(" -3 ", -300)]
    public void TryParse_OnInvariantText_ReadsFen(string text, long fen)
    {
        Assert.True(Money.TryParse(text, out var money));
        Assert.Equal(fen, money.Fen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.234")]
    [InlineData(null)]
    public void TryParse_OnBadText_Fails(string? text) => Assert.False(Money.TryParse(text, out _));

    [Fact]
    public void Formatting_ForMachinesAndPeople()
    {
        var money = Money.FromYuan(30000m);
        Assert.Equal("30000.00", money.ToInvariantString());
        Assert.Equal("30,000.00", money.ToDisplayString());
        Assert.Equal("-0.05", new Money(-5).ToInvariantString());
    }

    [Fact]
    public void MinMaxAndComparison_FollowFen()
    {
        var small = new Money(1);
        var large = new Money(2);
        Assert.Equal(small, Money.Min(small, large));
        Assert.Equal(large, Money.Max(small, large));
        Assert.True(small < large);
        Assert.True(-large < small);
    }
}
