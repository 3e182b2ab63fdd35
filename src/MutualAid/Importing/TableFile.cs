using System.Globalization;
using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using MiniExcelLibs;
using MutualAid.Benefits;

namespace MutualAid.Importing;

/// <summary>
/// One data row: its physical line in the file (the header is line 1) and its cells by column; or,
/// for a record that cannot be read (bad quoting, an oversize field, a damaged sheet), its fault.
/// </summary>
public sealed class TableRow(int line, object?[] values, RowProblem? fault = null)
{
    public int Line { get; } = line;

    /// <summary>Why the record could not be read, naming its line and column; null for a readable row.</summary>
    public RowProblem? Fault { get; } = fault;

    /// <summary>The cell as text: trimmed, numbers invariant, dates yyyy-MM-dd; null when blank.</summary>
    public string? Text(int column)
    {
        if (column < 0 || column >= values.Length)
            return null;
        var text = values[column] switch
        {
            null => null,
            string s => s.Trim(),
            double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture)?.Trim(),
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>True for a spreadsheet cell holding a number, which loses digits in an 18-digit ID.</summary>
    public bool IsNumber(int column) => column >= 0 && column < values.Length && values[column] is double;

    public bool IsBlank => Fault is null && values.All(v => v is null || (v is string s && string.IsNullOrWhiteSpace(s)));
}

/// <summary>
/// A table with a header row: a CSV, or the first sheet of an .xlsx or an old .xls workbook. The
/// kind is told by the content, not the name: an .xlsx is a zip archive holding a workbook, an
/// .xls an OLE2 compound file (D0 CF 11 E0), anything else is text. Text is read in its own
/// encoding (<see cref="TextEncodings"/>: UTF-8 with or without a BOM, GB18030/GBK, UTF-16 with a
/// BOM), as RFC 4180 records separated by commas, or by tabs when the header has tabs and no comma
/// (Excel's "Unicode text"). Column names are matched ignoring case and spaces. Rows stream: a CSV
/// or .xlsx of millions of rows is read in constant memory (an .xls holds 65,536 rows at most).
/// Every message names the file by the name its owner knows (the uploaded file's, not where it
/// was kept). A file that is no table at all is refused whole with
/// <see cref="InvalidInputException"/>; a record that cannot be read is a row with its fault.
/// </summary>
public sealed class TableFile
{
    /// <summary>No cell of any file we take is longer; a longer one is a broken record (often a quote left open), not data.</summary>
    public const int MaxFieldLength = 4_000;

    private enum Kind
    {
        Text,
        Xlsx,
        Xls,
    }

    private readonly Func<Stream> _open;
    private readonly Kind _kind;
    private readonly Encoding _encoding;
    private readonly char _separator;

    private TableFile(string name, Func<Stream> open, Kind kind, Encoding encoding, char separator, IReadOnlyList<string> headers)
    {
        Name = name;
        _open = open;
        _kind = kind;
        _encoding = encoding;
        _separator = separator;
        Headers = headers;
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The file's name as its owner knows it: every message about the file uses it.</summary>
    public string Name { get; }

    /// <summary>What the file was read as, for a person: "CSV（GB18030）", "Excel（.xls）" ….</summary>
    public string Format => _kind switch
    {
        Kind.Xlsx => "Excel（.xlsx）",
        Kind.Xls => "Excel 97-2003（.xls）",
        _ => $"{(_separator == '\t' ? "制表符分隔文本" : "CSV")}（{EncodingName(_encoding)}）",
    };

    /// <summary>Opens a file on disk by its contents; throws <see cref="InvalidInputException"/> when it is no table.</summary>
    public static TableFile Open(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw Invalid(name, "文件不存在");
        return Open(name, () => File.OpenRead(path));
    }

    /// <summary>
    /// Opens a file by its contents: <paramref name="name"/> is what its owner calls it (an uploaded
    /// file's name; a folder in it is dropped), <paramref name="open"/> gives a new readable stream of
    /// the whole content each time it is called (the file is read more than once, never kept).
    /// </summary>
    public static TableFile Open(string name, Func<Stream> open)
    {
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var kind = Sniff(name, open);
        var (encoding, separator) = (Encoding.UTF8, ',');
        List<string> headers;
        if (kind == Kind.Text)
        {
            using (var stream = open())
                encoding = TextEncodings.Detect(stream);
            (headers, separator) = CsvHeaders(name, open, encoding);
            if (headers.Any(h => h.Contains('\0', StringComparison.Ordinal)))
                throw Invalid(name, "不是 CSV 或 Excel 文件");
        }
        else
            headers = kind == Kind.Xlsx ? XlsxHeaders(name, open) : XlsHeaders(name, open);
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
            throw Invalid(name, "文件是空的：没有标题行");
        return new TableFile(name, open, kind, encoding, separator, headers);
    }

    /// <summary>The column's index, or -1: names are compared ignoring case, spaces and a trailing "*" (required mark).</summary>
    public int Column(params string[] names)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            var header = Normalize(Headers[i]);
            if (names.Any(n => string.Equals(Normalize(n), header, StringComparison.OrdinalIgnoreCase)))
                return i;
        }
        return -1;
    }

    /// <summary>Refuses a file that lacks any of <paramref name="required"/>, naming them all.</summary>
    public void RequireColumns(IEnumerable<string> required, string hint = "")
    {
        var missing = required.Where(c => Column(c) < 0).ToList();
        if (missing.Count > 0)
        {
            var found = Headers.Where(h => h.Length > 0).ToList();
            throw Invalid(Name, $"缺少必需的列：{string.Join("、", missing)}。按 {Format}读取，第 1 行的列名是：{string.Join("、", found.Take(12))}{(found.Count > 12 ? " 等" : "")}{hint}");
        }
    }

    /// <summary>Warnings for the headers that are none of <paramref name="known"/>: they are ignored, and said so.</summary>
    public List<string> UnknownColumns(IEnumerable<string> known)
    {
        var columns = known.Select(k => Column(k)).ToHashSet();
        return [.. Headers.Where(h => h.Length > 0 && !columns.Contains(Column(h))).Select(h => $"未知的列“{h}”已忽略")];
    }

    /// <summary>Every record after the header, an unreadable one as a row with its <see cref="TableRow.Fault"/>: for importers that report it.</summary>
    public IEnumerable<TableRow> Records() => _kind switch
    {
        Kind.Xlsx => XlsxRows(),
        Kind.Xls => XlsRows(),
        _ => CsvRows(),
    };

    /// <summary>The rows after the header; an unreadable record refuses the file with <see cref="InvalidInputException"/> naming its line.</summary>
    public IEnumerable<TableRow> Rows() =>
        Records().Select(row => row.Fault is { } fault ? throw Invalid(Name, fault.ToString()) : row);

    private static Kind Sniff(string name, Func<Stream> open)
    {
        Span<byte> magic = stackalloc byte[8];
        int read;
        using (var stream = open())
            read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        var start = magic[..read];
        if (start is [(byte)'P', (byte)'K', 3, 4, ..])
            return IsWorkbook(open) ? Kind.Xlsx : throw Invalid(name, "不是有效的 Excel 文件（.xlsx）：压缩包里没有工作簿");
        if (start is [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
            return Kind.Xls;
        if (name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            throw Invalid(name, "不是有效的 Excel 文件（.xlsx）");
        if (name.EndsWith(".xls", StringComparison.OrdinalIgnoreCase))
            throw Invalid(name, "不是有效的 Excel 97-2003 文件（.xls）：请用 Excel 打开后另存为 .xlsx 或 CSV 再上传");
        return Kind.Text;
    }

    private IEnumerable<TableRow> XlsxRows()
    {
        using var stream = _open();
        using var rows = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
        var line = 0;
        while (true)
        {
            string? broken = null;
            try
            {
                if (!rows.MoveNext())
                    yield break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                broken = e.Message;
            }
            line++;
            if (broken is not null)
            {
                yield return new TableRow(line, [], new RowProblem(line, "工作表", null, $"Excel 文件从此行起无法读取，其后各行未导入：{broken}"));
                yield break;
            }
            if (line == 1)
                continue;
            yield return Row(line, [.. ((IDictionary<string, object?>)rows.Current).Values]);
        }
    }

    private IEnumerable<TableRow> XlsRows()
    {
        using var stream = _open();
        using var reader = XlsReader(Name, stream);
        var line = 1;
        while (true)
        {
            object?[]? values = null;
            try
            {
                if (!reader.Read())
                    yield break;
                line = reader.Depth + 1;
                values = new object?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                    values[i] = reader.GetValue(i);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                line++;
            }
            if (values is null)
            {
                yield return new TableRow(line, [], new RowProblem(line, "工作表", null, "Excel 文件从此行起无法读取，其后各行未导入；请用 Excel 打开后另存为 .xlsx 再上传"));
                yield break;
            }
            if (line > 1)
                yield return Row(line, values);
        }
    }

    private TableRow Row(int line, object?[] values)
    {
        var oversize = Array.FindIndex(values, v => v is string { Length: > MaxFieldLength });
        return oversize < 0 ? new TableRow(line, values)
            : new TableRow(line, values, new RowProblem(line, ColumnName(oversize), null, $"字段超过 {MaxFieldLength} 个字符"));
    }

    private IEnumerable<TableRow> CsvRows()
    {
        using var stream = _open();
        using var reader = new StreamReader(stream, _encoding, detectEncodingFromByteOrderMarks: true);
        var records = new CsvRecords(reader, MaxFieldLength, _separator);
        records.Next();
        while (records.Next() is { } record)
        {
            var fault = record.Fault is not { } why ? null
                : new RowProblem(record.Line, ColumnName(record.FaultField), null,
                    record.LastLine > record.Line ? $"{why}；第 {record.Line}–{record.LastLine} 行未导入" : why);
            yield return new TableRow(record.Line, [.. record.Fields], fault);
        }
    }

    private string ColumnName(int index) =>
        index >= 0 && index < Headers.Count && Headers[index].Length > 0 ? Headers[index] : $"第 {index + 1} 列";

    private static List<string> XlsxHeaders(string name, Func<Stream> open)
    {
        try
        {
            using var stream = open();
            var first = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).FirstOrDefault() as IDictionary<string, object?>;
            return first is null ? [] : [.. first.Values.Select(HeaderText)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid(name, $"不是有效的 Excel 文件（.xlsx）：{e.Message}");
        }
    }

    private static List<string> XlsHeaders(string name, Func<Stream> open)
    {
        using var stream = open();
        using var reader = XlsReader(name, stream);
        try
        {
            if (!reader.Read())
                return [];
            return [.. Enumerable.Range(0, reader.FieldCount).Select(i => HeaderText(reader.GetValue(i)))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid(name, "Excel 97-2003 文件（.xls）的标题行无法读取：请用 Excel 打开后另存为 .xlsx 再上传");
        }
    }

    /// <summary>The first sheet of an .xls; a compound file that is no workbook, or one locked with a password, is refused with what to do.</summary>
    private static IExcelDataReader XlsReader(string name, Stream stream)
    {
        TextEncodings.EnsureRegistered();
        try
        {
            return ExcelReaderFactory.CreateBinaryReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (ExcelDataReader.Exceptions.InvalidPasswordException)
        {
            throw Invalid(name, "Excel 文件设有密码：请在 Excel 中取消密码后另存，再上传");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid(name, "不是有效的 Excel 97-2003 文件（.xls）：请用 Excel 打开后另存为 .xlsx 或 CSV 再上传");
        }
    }

    private static string HeaderText(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "";

    /// <summary>The header's cells, and the separator they show: a tab when the first line has tabs and no comma.</summary>
    private static (List<string> Headers, char Separator) CsvHeaders(string name, Func<Stream> open, Encoding encoding)
    {
        char separator;
        using (var stream = open())
        using (var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true))
        {
            if (reader.ReadLine() is not { } first)
                return ([], ',');
            separator = first.Contains('\t', StringComparison.Ordinal) && !first.Contains(',', StringComparison.Ordinal) ? '\t' : ',';
        }
        using (var stream = open())
        using (var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true))
        {
            var header = new CsvRecords(reader, MaxFieldLength, separator).Next();
            if (header?.Fault is { } fault)
                throw Invalid(name, $"标题行无法读取：{fault}");
            return (header is null ? [] : [.. header.Fields.Select(f => f.Trim())], separator);
        }
    }

    /// <summary>A zip archive holding a workbook part: a zip of anything else is no .xlsx.</summary>
    private static bool IsWorkbook(Func<Stream> open)
    {
        try
        {
            using var stream = open();
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            return zip.GetEntry("xl/workbook.xml") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static string EncodingName(Encoding encoding) => encoding.CodePage switch
    {
        65001 => "UTF-8",
        1200 => "UTF-16LE",
        1201 => "UTF-16BE",
        54936 => "GB18030/GBK",
        _ => encoding.WebName,
    };

    private static string Normalize(string header) => header.Replace(" ", "", StringComparison.Ordinal).TrimEnd('*').Trim();

    private static InvalidInputException Invalid(string file, string message) => new([new Problem(file, message)]);
}
