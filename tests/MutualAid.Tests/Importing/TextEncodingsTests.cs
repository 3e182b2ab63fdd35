using System.Text;
using MutualAid.Importing;

namespace MutualAid.Tests.Importing;

public sealed class TextEncodingsTests
{
    private const string Roster = "序号,姓名,身份证号\r\n1,张三,330203198001010016\r\n2,欧阳娜娜,330203198102020021\r\n";

    private static Encoding Detect(byte[] bytes) => TextEncodings.Detect(new MemoryStream(bytes));

    private static string Read(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Detect(bytes), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Detect_Utf8WithoutBom_IsUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Roster);

        Assert.Equal(65001, Detect(bytes).CodePage);
        Assert.Equal(Roster, Read(bytes));
    }

    [Fact]
    public void Detect_Utf8WithBom_IsUtf8AndTheBomIsNoText()
    {
        var bytes = OfficeFiles.WithBom(new UTF8Encoding(true), Roster);

        Assert.Equal(65001, Detect(bytes).CodePage);
        Assert.Equal(Roster, Read(bytes));
    }

    [Fact]
    public void Detect_Gbk_IsGb18030AndReadsTheNames()
    {
        var bytes = OfficeFiles.Gbk(Roster);

        Assert.Equal(54936, Detect(bytes).CodePage);
        Assert.Equal(Roster, Read(bytes));
    }

    [Fact]
    public void Detect_Gb18030WithFourByteCharacters_ReadsThem()
    {
        // 㐀 (U+3400, CJK extension A) and 𠮷 (U+20BB7, outside the BMP) are not in GBK: GB18030 writes each in four bytes.
        const string text = "姓名\r\n王㐀\r\n𠮷野家\r\n";
        var bytes = TextEncodings.Gb18030.GetBytes(text);
        Assert.Equal((4, 4), (TextEncodings.Gb18030.GetByteCount("㐀"), TextEncodings.Gb18030.GetByteCount("𠮷")));

        Assert.Equal(54936, Detect(bytes).CodePage);
        Assert.Equal(text, Read(bytes));
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(1201)]
    public void Detect_Utf16WithBom_IsThatUtf16(int codePage)
    {
        var bytes = OfficeFiles.WithBom(Encoding.GetEncoding(codePage), Roster);

        Assert.Equal(codePage, Detect(bytes).CodePage);
        Assert.Equal(Roster, Read(bytes));
    }

    [Theory]
    [InlineData(65_533)]
    [InlineData(65_534)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public void Detect_AUtf8CharacterAcrossTheReadingBuffersEdge_IsUtf8(int before)
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', before) + "张𠮷" + new string('b', 10));

        Assert.Equal(65001, Detect(bytes).CodePage);
    }

    [Fact]
    public void Detect_GbkAfterALongUtf8LookingStart_IsGb18030()
    {
        // The whole file is looked at, not its first block: a GBK name on the last line still counts.
        var bytes = OfficeFiles.Gbk(string.Concat(Enumerable.Repeat("1,ab,330203198001010016\r\n", 20_000)) + "2,张三,330203198102020021\r\n");

        Assert.Equal(54936, Detect(bytes).CodePage);
    }

    [Fact]
    public void Detect_EmptyOrTiny_IsUtf8()
    {
        Assert.Equal(65001, Detect([]).CodePage);
        Assert.Equal(65001, Detect("a"u8.ToArray()).CodePage);
    }
}
