using System.Globalization;
using MiniExcelLibs;
using MutualAid.Benefits;
using Sylvan.Data.Csv;

namespace MutualAid.Importing;

/// <summary>One data row: its line in the file (the header is line 1) and its cells by column.</summary>
public sealed class TableRow(int line, object?[] values)
{
    public int Line { get; } = line;

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

    public bool IsBlank => values.All(v => v is null || (v is string s && string.IsNullOrWhiteSpace(s)));
}

/// <summary>
/// A CSV (UTF-8, a BOM accepted, RFC 4180) or the first sheet of an .xlsx file with a header
/// row. Column names are matched ignoring case and spaces. Rows stream: a file of millions of
/// rows is read in constant memory.
/// </summary>
public sealed class TableFile
{
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
        try
        {
            var headers = excel ? ExcelHeaders(path) : CsvHeaders(path);
            if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
                throw Invalid(name, "文件是空的：没有标题行");
            if (!excel && headers.Any(h => h.Contains('\0', StringComparison.Ordinal)))
                throw Invalid(name, "不是 CSV 或 Excel 文件");
            return new TableFile(path, excel, headers);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            throw Invalid(name, $"不是有效的 CSV 或 Excel 文件：{e.Message}");
        }
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

    public IEnumerable<TableRow> Rows() => _excel ? ExcelRows() : CsvRows();

    private IEnumerable<TableRow> ExcelRows()
    {
        var line = 0;
        foreach (IDictionary<string, object?> row in MiniExcel.Query(_path, useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            line++;
            if (line == 1)
                continue;
            yield return new TableRow(line, [.. row.Values]);
        }
    }

    private IEnumerable<TableRow> CsvRows()
    {
        using var reader = CsvDataReader.Create(_path, new CsvDataReaderOptions { HasHeaders = true });
        var line = 1;
        while (reader.Read())
        {
            line++;
            var values = new object?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
                values[i] = reader.GetString(i);
            yield return new TableRow(line, values);
        }
    }

    private static List<string> ExcelHeaders(string path)
    {
        var first = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX).FirstOrDefault() as IDictionary<string, object?>;
        return first is null ? [] : [.. first.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "")];
    }

    private static List<string> CsvHeaders(string path)
    {
        using var reader = CsvDataReader.Create(path, new CsvDataReaderOptions { HasHeaders = true });
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i).Trim())];
    }

    private static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    }

    private static string Normalize(string header) => header.Replace(" ", "", StringComparison.Ordinal).TrimEnd('*').Trim();

    private static InvalidInputException Invalid(string file, string message) => new([new Problem(file, message)]);
}
