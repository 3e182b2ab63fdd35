using MutualAid.Web;

namespace MutualAid.Tests.Web;

public sealed class StartPageTests
{
    [Fact]
    public void Render_ListsEverySchemesPlansInChinese()
    {
        var schemes = StartPage.FindSchemes(Path.Combine(TestPaths.Repository, "src", "MutualAid.Web"));

        var html = StartPage.Render(schemes);

        Assert.Equal(3, schemes.Count);
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("退休人员住院医疗互助保障", html);
        Assert.Contains("家庭财产火灾损失补贴", html);
    }
}
