using System.Globalization;
using System.Text;
using NPOI.HSSF.UserModel;

namespace MutualAid.Tests.Importing;

/// <summary>
/// Files as offices make them, written at run time: an old Excel workbook (.xls, written by NPOI's
/// HSSF as Excel 97-2003 does) and CSV text in the encodings Excel saves (GBK on a Chinese PC,
/// UTF-16 "Unicode text" with tabs).
/// </summary>
internal static class OfficeFiles
{
    /// <summary>An .xls whose first sheet has the header and rows: strings as text cells, numbers as numeric cells, null as no cell.</summary>
    public static byte[] Xls(string[] header, IEnumerable<object?[]> rows)
    {
        var workbook = new HSSFWorkbook();
        var sheet = workbook.CreateSheet("名单");
        var r = 0;
        foreach (var values in rows.Prepend([.. header]))
        {
            var row = sheet.CreateRow(r++);
            for (var c = 0; c < values.Length; c++)
            {
                switch (values[c])
                {
                    case null:
                        break;
                    case string s:
                        row.CreateCell(c).SetCellValue(s);
                        break;
                    case DateTime t:
                        row.CreateCell(c).SetCellValue(t);
                        break;
                    case var number:
                        row.CreateCell(c).SetCellValue(Convert.ToDouble(number, CultureInfo.InvariantCulture));
                        break;
                }
            }
        }
        using var buffer = new MemoryStream();
        workbook.Write(buffer);
        return buffer.ToArray();
    }

    /// <summary>Comma-separated text, RFC 4180 quoting left out (the rows hold no commas), each line ended by CRLF as Excel does.</summary>
    public static string Csv(string[] header, IEnumerable<object?[]> rows, char separator = ',') =>
        string.Concat(rows.Prepend([.. header]).Select(r => string.Join(separator, r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")) + "\r\n"));

    /// <summary>Text as Excel on a Chinese PC saves a CSV: code page 936 (GBK), no byte order mark.</summary>
    public static byte[] Gbk(string text)
    {
        MutualAid.Importing.TextEncodings.EnsureRegistered();
        return Encoding.GetEncoding(936).GetBytes(text);
    }

    public static byte[] WithBom(Encoding encoding, string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];

    public static string Save(byte[] content, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"office-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, content);
        return path;
    }
}
