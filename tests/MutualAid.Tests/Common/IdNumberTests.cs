using MutualAid.Common;

namespace MutualAid.Tests.Common;

public sealed class IdNumberTests
{
    [Fact]
    public void TryParse_OnValidNumber_ReadsBirthDateAndGender()
    {
        Assert.True(IdNumber.TryParse("330203198001010036", out var id, out _));
        Assert.Equal(new DateOnly(1980, 1, 1), id.BirthDate);
        Assert.Equal(Gender.Male, id.Gender);
        Assert.Equal("330203", id.DivisionCode);
    }

    [Fact]
    public void TryParse_WithLowerCaseX_NormalisesToUpper()
    {
        Assert.True(IdNumber.TryParse("11010519491231002x", out var id, out _));
        Assert.Equal("11010519491231002X", id.Value);
        Assert.Equal(Gender.Female, id.Gender);
    }

    [Fact]
    public void TryParse_OnFeb29OfLeapYear_IsValid()
    {
        Assert.True(IdNumber.TryParse("330203200002290025", out var id, out _));
        Assert.Equal(new DateOnly(2000, 2, 29), id.BirthDate);
    }

    [Theory]
    [InlineData("330203198001010037", "校验位")]
    [InlineData("33020319800101003", "18 位")]
    [InlineData("3302031980010100361", "18 位")]
    [InlineData("33020319800A010036", "第 12 位")]
    [InlineData("330203199902290033", "出生日期")]
    [InlineData("", "18 位")]
    public void TryParse_OnBadNumber_SaysWhy(string text, string reason)
    {
        // The Feb 29 1999 case carries a correct check digit so that only the date is wrong.
        Assert.False(IdNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Masked_ShowsDivisionAndLastFour() =>
        Assert.Equal("330203********0036", IdNumber.Parse("330203198001010036").Masked);

    [Theory]
    [InlineData("2000-02-29", "2001-02-28", 0)]
    [InlineData("2000-02-29", "2001-03-01", 1)]
    [InlineData("1980-05-01", "2024-04-30", 43)]
    [InlineData("1980-05-01", "2024-05-01", 44)]
    public void AgeOn_CountsCompletedYears(string birth, string day, int age) =>
        Assert.Equal(age, Age.On(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
}
