using System.Globalization;
using System.IO.Compression;
using System.Text;
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
/// A CSV (UTF-8, a BOM accepted, RFC 4180) or the first sheet of an .xlsx file with a header
/// row. Column names are matched ignoring case and spaces. Rows stream: a file of millions of
/// rows is read in constant memory. A file that is no table at all is refused whole with
/// <see cref="InvalidInputException"/>; a record that cannot be read is a row with its fault.
/// </summary>
public sealed class TableFile
{
    /// <summary>No cell of any file we take is longer; a longer one is a broken record (often a quote left open), not data.</summary>
    public const int MaxFieldLength = 4_000;

    private readonly string _path;
    private readonly bool _excel;

    private TableFile(string path, bool excel, IReadOnlyList<string> headers)
    {
        _path = path;
        _excel = excel;
        Headers = headers;
    }

    public IReadOnlyList<string> Headers { get; }

    public string Name => Path.GetFileName(_path);

    /// <summary>Opens a file by its contents (an .xlsx is a zip archive); throws <see cref="InvalidInputException"/> when it is neither.</summary>
    public static TableFile Open(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw Invalid(name, "文件不存在");
        var excel = IsZip(path);
        if (!excel && path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            throw Invalid(name, "不是有效的 Excel 文件（.xlsx）");
        if (excel && !IsWorkbook(path))
            throw Invalid(name, "不是有效的 Excel 文件（.xlsx）：压缩包里没有工作簿");
        var headers = excel ? ExcelHeaders(path) : CsvHeaders(path);
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
            throw Invalid(name, "文件是空的：没有标题行");
        if (!excel && headers.Any(h => h.Contains('\0', StringComparison.Ordinal)))
            throw Invalid(name, "不是 CSV 或 Excel 文件");
        return new TableFile(path, excel, headers);
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
            throw Invalid(Name, $"缺少必需的列：{string.Join("、", missing)}{hint}");
    }

    /// <summary>Warnings for the headers that are none of <paramref name="known"/>: they are ignored, and said so.</summary>
    public List<string> UnknownColumns(IEnumerable<string> known)
    {
        var columns = known.Select(k => Column(k)).ToHashSet();
        return [.. Headers.Where(h => h.Length > 0 && !columns.Contains(Column(h))).Select(h => $"未知的列“{h}”已忽略")];
    }

    /// <summary>Every record after the header, an unreadable one as a row with its <see cref="TableRow.Fault"/>: for importers that report it.</summary>
    public IEnumerable<TableRow> Records() => _excel ? ExcelRows() : CsvRows();

    /// <summary>The rows after the header; an unreadable record refuses the file with <see cref="InvalidInputException"/> naming its line.</summary>
    public IEnumerable<TableRow> Rows() =>
        Records().Select(row => row.Fault is { } fault ? throw Invalid(Name, fault.ToString()) : row);

    private IEnumerable<TableRow> ExcelRows()
    {
        using var rows = MiniExcel.Query(_path, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
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
            object?[] values = [.. ((IDictionary<string, object?>)rows.Current).Values];
            var oversize = Array.FindIndex(values, v => v is string { Length: > MaxFieldLength });
            yield return oversize < 0 ? new TableRow(line, values)
                : new TableRow(line, values, new RowProblem(line, ColumnName(oversize), null, $"字段超过 {MaxFieldLength} 个字符"));
        }
    }

    private IEnumerable<TableRow> CsvRows()
    {
        using var reader = OpenText(_path);
        var records = new CsvRecords(reader, MaxFieldLength);
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

    private static List<string> ExcelHeaders(string path)
    {
        try
        {
            var first = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX).FirstOrDefault() as IDictionary<string, object?>;
            return first is null ? [] : [.. first.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "")];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid(Path.GetFileName(path), $"不是有效的 Excel 文件（.xlsx）：{e.Message}");
        }
    }

    private static List<string> CsvHeaders(string path)
    {
        using var reader = OpenText(path);
        var header = new CsvRecords(reader, MaxFieldLength).Next();
        if (header?.Fault is { } fault)
            throw Invalid(Path.GetFileName(path), $"标题行无法读取：{fault}");
        return header is null ? [] : [.. header.Fields.Select(f => f.Trim())];
    }

    private static StreamReader OpenText(string path) => new(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    private static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }

    /// <summary>A zip archive holding a workbook part: a zip of anything else is no .xlsx.</summary>
    private static bool IsWorkbook(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry("xl/workbook.xml") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static string Normalize(string header) => header.Replace(" ", "", StringComparison.Ordinal).TrimEnd('*').Trim();

    private static InvalidInputException Invalid(string file, string message) => new([new Problem(file, message)]);
}
