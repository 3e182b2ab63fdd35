using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Enrollment;

namespace MutualAid.Tests.Enrollment;

public sealed class FundingSplitTests
{
    [Fact]
    public void Parse_ChineseOrEnglishNames_ReadsEachShare() =>
        Assert.Equal(new FundingSplit(40, 60, 0, 0, 0), FundingSplit.Parse("单位=60,worker=40%"));

    [Theory]
    [InlineData("单位=60,个人=30", "合计 90%")]
    [InlineData("老板=100", "应为 个人、单位")]
    [InlineData("单位=abc", "0–100 的整数")]
    public void Parse_WhenWrong_SaysWhy(string text, string reason) =>
        Assert.Contains(reason, Assert.Single(Assert.Throws<InvalidInputException>(() => FundingSplit.Parse(text)).Problems).Message);

    [Fact]
    public void Apply_ThirdsOfOneYuan_AddUpToTheYuan()
    {
        var shares = FundingSplit.Parse("个人=33,单位=33,政府=34").Apply(Money.FromYuan(1));

        Assert.Equal((33, 33, 34), (shares.Worker.Fen, shares.Employer.Fen, shares.Government.Fen));
        Assert.Equal(Money.FromYuan(1), shares.Total);
    }

    [Fact]
    public void Apply_FenLeftOver_GoToTheLargestRemainders()
    {
        var shares = FundingSplit.Parse("个人=50,单位=25,工会=25").Apply(new Money(3));

        // 1.5, 0.75 and 0.75 fen: each takes its whole fen, then the two largest remainders one more.
        Assert.Equal((1, 1, 1), (shares.Worker.Fen, shares.Employer.Fen, shares.Union.Fen));
    }
}
