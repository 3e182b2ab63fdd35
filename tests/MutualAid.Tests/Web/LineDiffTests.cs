using MutualAid.Web;

namespace MutualAid.Tests.Web;

public sealed class LineDiffTests
{
    [Fact]
    public void Of_KeepsTheCommonLines_AndMarksWhatChanged()
    {
        string[] before = ["{", "  \"premium\": 60,", "  \"rate\": 0.8", "}"];
        string[] after = ["{", "  \"premium\": 70,", "  \"rate\": 0.8", "  \"cap\": 50000", "}"];

        var diff = LineDiff.Of(before, after);

        Assert.Equal(
        [
            (LineDiff.Change.Kept, "{"), (LineDiff.Change.Removed, "  \"premium\": 60,"), (LineDiff.Change.Added, "  \"premium\": 70,"),
            (LineDiff.Change.Kept, "  \"rate\": 0.8"), (LineDiff.Change.Added, "  \"cap\": 50000"), (LineDiff.Change.Kept, "}"),
        ], diff);
    }

    [Fact]
    public void Of_TheSameText_ChangesNothing() =>
        Assert.All(LineDiff.Of(["a", "b"], ["a", "b"]), d => Assert.Equal(LineDiff.Change.Kept, d.Change));
}
