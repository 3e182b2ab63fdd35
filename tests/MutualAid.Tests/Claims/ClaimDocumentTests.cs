using MutualAid.Claims;
using MutualAid.Benefits;

namespace MutualAid.Tests.Claims;

/// <summary>An upload's name made safe to store, and its bytes checked as a whole file, not by its first bytes.</summary>
public sealed class ClaimDocumentTests
{
    private static ClaimDocument? Read(string name, byte[] content, List<Problem> problems) =>
        ClaimDocument.Read("invoice", name, content, "clerk", new DateTime(2024, 9, 2, 2, 0, 0, DateTimeKind.Utc), problems);

    [Theory]
    [InlineData(@"..\..\windows\x.jpg", "x.jpg")]
    [InlineData("../../etc/x.jpg", "x.jpg")]
    [InlineData("C:\\Users\\张三\\出院小结.pdf", "出院小结.pdf")]
    [InlineData("发\u0000票\r\n<1>:?*|\".png", "发票1.png")]
    [InlineData("  费用清单.pdf. . ", "费用清单.pdf")]
    [InlineData("CON.jpg", "_CON.jpg")]
    [InlineData(".jpg", "材料.jpg")]
    [InlineData("..", "材料")]
    [InlineData("", "材料")]
    public void SafeName_KeepsTheLastSegmentWithoutWhatIsUnsafe(string uploaded, string stored) =>
        Assert.Equal(stored, ClaimDocument.SafeName(uploaded));

    [Fact]
    public void SafeName_WhenNothingIsLeft_IsNamedByTheContent() =>
        Assert.Equal("材料.jpg", ClaimDocument.SafeName(@"a\<>", "image/jpeg"));

    [Fact]
    public void SafeName_WhenTooLong_IsCutKeepingTheExtension()
    {
        var name = ClaimDocument.SafeName(new string('住', 300) + ".pdf");

        Assert.Equal(ClaimDocument.MaxNameLength, name.Length);
        Assert.EndsWith("住.pdf", name);
    }

    [Fact]
    public void Read_WhenNamedWithAPath_StoresTheLastSegment()
    {
        var problems = new List<Problem>();

        var document = Read(@"..\..\windows\x.jpg", TestFiles.Jpeg, problems);

        Assert.Empty(problems);
        Assert.Equal(("x.jpg", "image/jpeg"), (document!.FileName, document.ContentType));
    }

    [Fact]
    public void Check_TakesTheSmallestWholeFiles()
    {
        Assert.Equal("image/jpeg", ClaimDocument.Check(TestFiles.Jpeg).ContentType);
        Assert.Equal("image/jpeg", ClaimDocument.Check([.. TestFiles.Jpeg, 0, 0, 0]).ContentType);
        Assert.Equal("image/png", ClaimDocument.Check(TestFiles.Png).ContentType);
        Assert.Equal("application/pdf", ClaimDocument.Check(TestFiles.Pdf).ContentType);
    }

    [Fact]
    public void Read_AJpegHeaderInFrontOfAProgram_IsRefusedNamingTheFile()
    {
        var problems = new List<Problem>();

        var document = Read("照片.jpg", [0xFF, 0xD8, 0xFF, 0xE0, .. TestFiles.Program], problems);

        Assert.Null(document);
        Assert.Equal(["材料 照片.jpg: 文件中夹带可执行程序，不予接收"], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Check_AProgramInsideAWholeImage_IsRefused() =>
        Assert.Equal("文件中夹带可执行程序，不予接收", ClaimDocument.Check([.. TestFiles.Jpeg[..^2], .. TestFiles.Program, 0xFF, 0xD9]).Problem);

    [Theory]
    [InlineData("jpeg-truncated")]
    [InlineData("jpeg-trailing")]
    [InlineData("png-no-ihdr")]
    [InlineData("png-trailing")]
    [InlineData("pdf-no-eof")]
    [InlineData("pdf-trailing")]
    public void Check_AnImageCutShortOrWithSomethingAfterItsEnd_IsRefused(string file)
    {
        byte[] content = file switch
        {
            "jpeg-truncated" => TestFiles.Jpeg[..^2],
            "jpeg-trailing" => [.. TestFiles.Jpeg, .. "PK\u0003\u0004 hidden archive"u8],
            "png-no-ihdr" => [.. TestFiles.Png[..8], .. TestFiles.Png[33..]],
            "png-trailing" => [.. TestFiles.Png, 1, 2, 3],
            "pdf-no-eof" => TestFiles.Pdf[..^7],
            _ => [.. TestFiles.Pdf, .. new byte[2048]],
        };

        var (type, problem) = ClaimDocument.Check(content);

        Assert.Null(type);
        Assert.Contains("不完整", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_APlainProgram_IsRefused() =>
        Assert.NotNull(ClaimDocument.Check(TestFiles.Program).Problem);
}
