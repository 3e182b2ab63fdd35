using MutualAid.Common;

namespace MutualAid.Tests.Common;

public sealed class UnitCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("12330200470000001J")]
    [InlineData("51330203MJ0000000H")]
    [InlineData("91330200ma2axxxx0c")]
    public void TryParse_OnValidCode_Accepts(string text)
    {
        Assert.True(UnitCode.TryParse(text, out var code, out var error), error);
        Assert.Equal(text.ToUpperInvariant(), code.Value);
    }

    [Fact]
    public void DivisionCode_IsCharactersThreeToEight() =>
        Assert.Equal("330203", UnitCode.Parse("51330203MJ0000000H").DivisionCode);

    [Theory]
    [InlineData("91350100M000100Y44", "校验位")]
    [InlineData("91350100M000100Y4", "18 位")]
    [InlineData("91350100I000100Y43", "第 9 位")]
    [InlineData("91350100O000100Y43", "第 9 位")]
    public void TryParse_OnBadCode_SaysWhy(string text, string reason)
    {
        Assert.False(UnitCode.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
