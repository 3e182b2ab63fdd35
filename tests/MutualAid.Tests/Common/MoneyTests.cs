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

    // Beyond FromYuan's trillion: the capitals are written for any amount a Money holds.
    private static Money Yuan(string yuan) => new((long)(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture) * 100));

    [Theory]
    [InlineData("0", "零元整")]
    [InlineData("0.05", "伍分")]
    [InlineData("0.5", "伍角整")]
    [InlineData("0.56", "伍角陆分")]
    [InlineData("1", "壹元整")]
    [InlineData("10", "壹拾元整")]
    [InlineData("15", "壹拾伍元整")]
    [InlineData("1234.56", "壹仟贰佰叁拾肆元伍角陆分")]
    [InlineData("1000.01", "壹仟元零壹分")]
    [InlineData("1000.5", "壹仟元零伍角整")]
    [InlineData("100000", "壹拾万元整")]
    [InlineData("10000100", "壹仟万零壹佰元整")]
    [InlineData("100000000", "壹亿元整")]
    public void ToChineseCapitals_WritesTheAmountAsOnAVoucher(string yuan, string capitals) =>
        Assert.Equal(capitals, Yuan(yuan).ToChineseCapitals());

    // The examples of 《支付结算办法》's appendix, each in its first form.
    [Theory]
    [InlineData("1409.50", "壹仟肆佰零玖元伍角整")]
    [InlineData("6007.14", "陆仟零柒元壹角肆分")]
    [InlineData("1680.32", "壹仟陆佰捌拾元零叁角贰分")]
    [InlineData("107000.53", "壹拾万柒仟元零伍角叁分")]
    [InlineData("16409.02", "壹万陆仟肆佰零玖元零贰分")]
    [InlineData("325.04", "叁佰贰拾伍元零肆分")]
    public void ToChineseCapitals_FollowsTheSettlementRulesExamples(string yuan, string capitals) =>
        Assert.Equal(capitals, Yuan(yuan).ToChineseCapitals());

    // Zeros across the groups of 万 and 亿: one 零 for a run, none for a group that starts with its thousands.
    [Theory]
    [InlineData("100000001", "壹亿零壹元整")]
    [InlineData("100010000", "壹亿零壹万元整")]
    [InlineData("110000000", "壹亿壹仟万元整")]
    [InlineData("120005000", "壹亿贰仟万伍仟元整")]
    [InlineData("120000500", "壹亿贰仟万零伍佰元整")]
    [InlineData("1000010", "壹佰万零壹拾元整")]
    [InlineData("20304", "贰万零叁佰零肆元整")]
    [InlineData("1000000000", "壹拾亿元整")]
    [InlineData("1000000000000", "壹万亿元整")]
    [InlineData("1000100000000", "壹万零壹亿元整")]
    [InlineData("1000000010000", "壹万亿零壹万元整")]
    [InlineData("987654321.09", "玖亿捌仟柒佰陆拾伍万肆仟叁佰贰拾壹元零玖分")]
    public void ToChineseCapitals_PutsOneZeroBetweenGroups(string yuan, string capitals) =>
        Assert.Equal(capitals, Yuan(yuan).ToChineseCapitals());

    [Fact]
    public void ToChineseCapitals_OfANegativeAmount_SaysNegative() =>
        Assert.Equal("负壹拾元零伍分", Money.FromYuan(-10.05m).ToChineseCapitals());

    [Fact]
    public void ToChineseCapitals_OfTheLargestAmount_IsWritten() =>
        Assert.Equal("玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分", new Money(long.MaxValue).ToChineseCapitals());
}
