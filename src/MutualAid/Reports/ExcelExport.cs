using MiniExcelLibs;

namespace MutualAid.Reports;

/// <summary>A report as an Excel sheet: one row per record, the columns under their Chinese headers.</summary>
public static class ExcelExport
{
    public static void Write<T>(string path, IEnumerable<T> rows, params (string Header, Func<T, object?> Value)[] columns)
    {
        var sheet = rows.Select(row => columns.ToDictionary(c => c.Header, c => c.Value(row))).ToList();
        if (sheet.Count == 0)
            sheet.Add(columns.ToDictionary(c => c.Header, _ => (object?)null));
        MiniExcel.SaveAs(path, sheet, overwriteFile: true);
    }
}
