using System.Text;
using MiniExcelLibs;

namespace MutualAid.Tests.Importing;

/// <summary>Writes a roster as CSV or .xlsx with the given header and rows, to a temporary file.</summary>
internal static class RosterFiles
{
    public static string Write(string format, string[] header, IEnumerable<object?[]> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"roster-{Guid.NewGuid():N}.{format}");
        if (format == "csv")
        {
            var text = new StringBuilder(string.Join(",", header)).Append('\n');
            foreach (var row in rows)
                text.Append(string.Join(",", row.Select(v => v?.ToString() ?? ""))).Append('\n');
            File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            return path;
        }
        var sheet = rows.Select(r => header.Select((h, i) => (h, v: i < r.Length ? r[i] : null)).ToDictionary(x => x.h, x => x.v)).ToList();
        if (sheet.Count == 0)
            sheet.Add(header.ToDictionary(h => h, _ => (object?)null));
        MiniExcel.SaveAs(path, sheet);
        return path;
    }
}
