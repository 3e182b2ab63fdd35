using System.IO.Compression;
using System.Xml.Linq;
using ExcelDataReader;
using MutualAid.Importing;

namespace MutualAid.Tests.Importing;

public sealed class TemplatesTests
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The number format of each column of the first sheet (by header): what Excel applies to a cell a person types in.</summary>
    private static Dictionary<string, int> ColumnFormats(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        XDocument Part(string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            return XDocument.Load(stream);
        }
        var formats = Part("xl/styles.xml").Root!.Element(Main + "cellXfs")!.Elements(Main + "xf").Select(x => (int)x.Attribute("numFmtId")!).ToList();
        var sheet = Part("xl/worksheets/sheet1.xml").Root!;
        var styles = sheet.Element(Main + "cols")!.Elements(Main + "col").ToDictionary(c => (int)c.Attribute("min")!, c => (int?)c.Attribute("style") ?? 0);
        var headers = sheet.Descendants(Main + "row").First().Elements(Main + "c").Select(c => c.Value).ToList();
        return headers.Select((h, i) => (h, formats[styles.GetValueOrDefault(i + 1)])).ToDictionary(x => x.h, x => x.Item2);
    }

    [Theory]
    [InlineData("roster")]
    [InlineData("enrollments")]
    public void Xlsx_FormatsTheIdNumberAndAccountColumnsAsText_ForTheCellsStillToBeTyped(string kind)
    {
        var formats = ColumnFormats(Templates.Xlsx(kind));

        // 49 is Excel's built-in "@" (text): an 18-digit ID typed in stays as typed, not 3.30203E+17.
        Assert.Equal(49, formats["身份证号"]);
        Assert.Equal(49, formats["银行账号"]);
        Assert.Equal(49, formats["手机号"]);
        Assert.All(formats.Values, f => Assert.Equal(49, f));
    }

    [Fact]
    public void Xlsx_IsAWorkbookThatAnotherReaderOpens_WithTheHeadersAndTheNotesSheet()
    {
        TextEncodings.EnsureRegistered();
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(Templates.Xlsx("roster")));

        Assert.True(reader.Read());
        Assert.Equal(ImportRoster.Template, Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)));
        Assert.False(reader.Read());
        Assert.True(reader.NextResult());
        Assert.Equal("填写说明", reader.Name);
        Assert.True(reader.Read());
        Assert.Equal("填写说明", reader.GetString(0));
        Assert.True(reader.Read());
        Assert.StartsWith("姓名、身份证号必填", reader.GetString(0), StringComparison.Ordinal);
    }

    [Fact]
    public void Xlsx_IsTheSameBytesEachTime()
    {
        Assert.Equal(Templates.Xlsx("roster"), Templates.Xlsx("roster"));
    }
}
