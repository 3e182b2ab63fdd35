using System.Text;
using MutualAid.Benefits;
using MutualAid.Importing;

namespace MutualAid.Tests.Importing;

public sealed class TableFileTests
{
    private static readonly string[] Header = ["序号", "姓名", "身份证号", "银行账号"];
    private const string Id = "330203198001010016";

    private static TableFile Open(string name, byte[] content) => TableFile.Open(name, () => new MemoryStream(content, writable: false));

    private static string?[][] Cells(TableFile file) =>
        [.. file.Rows().Select(r => Enumerable.Range(0, file.Headers.Count).Select(r.Text).ToArray())];

    private static string?[][] Expected(params string?[][] rows) => rows;

    [Fact]
    public void Open_AGbkCsv_ReadsTheChineseHeaderAndNames()
    {
        var file = Open("花名册.csv", OfficeFiles.Gbk(OfficeFiles.Csv(Header, [[1, "张三", Id, "6217000000000001"], [2, "欧阳娜娜", null, null]])));

        Assert.Equal(Header, file.Headers);
        Assert.Equal("CSV（GB18030/GBK）", file.Format);
        Assert.Equal(Expected(["1", "张三", Id, "6217000000000001"], ["2", "欧阳娜娜", null, null]), Cells(file));
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(1201)]
    public void Open_Utf16TextWithTabs_ReadsItAsExcelsUnicodeText(int codePage)
    {
        var content = OfficeFiles.WithBom(Encoding.GetEncoding(codePage), OfficeFiles.Csv(Header, [[1, "张三", Id, null]], '\t'));

        var file = Open("花名册.txt", content);

        Assert.Equal(Header, file.Headers);
        Assert.StartsWith("制表符分隔文本（UTF-16", file.Format, StringComparison.Ordinal);
        Assert.Equal(Expected(["1", "张三", Id, null]), Cells(file));
    }

    [Fact]
    public void Open_AnXls_ReadsTheFirstSheetWithItsTextAndNumberCells()
    {
        var content = OfficeFiles.Xls(Header, [[1, "张三", Id, "6217000000000001"], [2, "李四", 330203198001010016d, 6217000000000002d]]);

        var file = Open("花名册.xls", content);

        Assert.Equal(Header, file.Headers);
        Assert.Equal("Excel 97-2003（.xls）", file.Format);
        var rows = file.Rows().ToList();
        Assert.Equal([2, 3], rows.Select(r => r.Line));
        Assert.Equal(("张三", Id, false), (rows[0].Text(1), rows[0].Text(2), rows[0].IsNumber(2)));
        // A number in an ID cell is what Excel made of the digits: it is flagged, for the import to refuse it.
        Assert.True(rows[1].IsNumber(2));
        Assert.Equal("1", rows[0].Text(0));
    }

    [Theory]
    [InlineData("花名册.xlsx")]
    [InlineData("花名册.csv")]
    [InlineData("花名册")]
    public void Open_AnXlsUnderAnotherName_IsReadByItsContent(string name)
    {
        var file = Open(name, OfficeFiles.Xls(Header, [[1, "张三", Id, null]]));

        Assert.Equal(Expected(["1", "张三", Id, null]), Cells(file));
    }

    [Fact]
    public void Open_AnXlsxNamedXls_IsReadByItsContent()
    {
        var xlsx = Templates.Xlsx("roster");

        var file = Open("花名册.xls", xlsx);

        Assert.Equal(ImportRoster.Template, file.Headers);
    }

    [Theory]
    [InlineData("花名册.xls", "不是有效的 Excel 97-2003 文件（.xls）")]
    [InlineData("花名册.xlsx", "不是有效的 Excel 文件（.xlsx）")]
    public void Open_TextNamedAsExcel_IsRefusedNamingTheFile(string name, string message)
    {
        var error = Assert.Throws<InvalidInputException>(() => Open(name, Encoding.UTF8.GetBytes("姓名,身份证号\n")));

        var problem = Assert.Single(error.Problems);
        Assert.Equal((name, true), (problem.Path, problem.Message.StartsWith(message, StringComparison.Ordinal)));
    }

    [Fact]
    public void Open_ACompoundFileThatIsNoWorkbook_IsRefusedNamingTheFile()
    {
        byte[] content = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[600]];

        var error = Assert.Throws<InvalidInputException>(() => Open("花名册.xls", content));

        Assert.Equal("花名册.xls", Assert.Single(error.Problems).Path);
        Assert.StartsWith("不是有效的 Excel 97-2003 文件（.xls）", error.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireColumns_OfAnUploadedFile_NamesTheFileAsItsOwnerCallsIt_AndWhatWasRead()
    {
        var file = Open(@"C:\Users\李会计\Desktop\三月花名册.csv", Encoding.UTF8.GetBytes("名字,号码\n张三,1\n"));

        var error = Assert.Throws<InvalidInputException>(() => file.RequireColumns(["姓名", "身份证号"]));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("三月花名册.csv", problem.Path);
        Assert.Equal("缺少必需的列：姓名、身份证号。按 CSV（UTF-8）读取，第 1 行的列名是：名字、号码", problem.Message);
    }

    [Fact]
    public void Records_OfAGbkCsvWithABrokenRecord_NameItsLineAndColumn()
    {
        var file = Open("花名册.csv", OfficeFiles.Gbk("序号,姓名,身份证号\r\n1,张\"三,330203198001010016\r\n"));

        var fault = Assert.Single(file.Records()).Fault;

        Assert.Equal((2, "姓名"), (fault?.Line, fault?.Column));
    }
}
