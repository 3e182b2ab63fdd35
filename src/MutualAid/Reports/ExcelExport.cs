using MiniExcelLibs;

namespace MutualAid.Reports;

/// <summary>A column of an Excel export: its Chinese header, its value, and whether the last row sums it.</summary>
public sealed record ExcelColumn<T>(string Header, Func<T, object?> Value, bool Summed = false);

/// <summary>
/// A report or a list as an Excel sheet: one row per record under Chinese headers, text kept as
/// text (an ID or account number stays whole), and, when a column is summed, a last row
/// 合计 with the count and the sums. Rows stream: a list of any length is written in constant memory.
/// </summary>
public static class ExcelExport
{
    public static void Write<T>(string path, IEnumerable<T> rows, params (string Header, Func<T, object?> Value)[] columns) =>
        Write(path, rows, [.. columns.Select(c => new ExcelColumn<T>(c.Header, c.Value))]);

    /// <returns>How many records were written (the totals row not counted).</returns>
    public static int Write<T>(string path, IEnumerable<T> rows, IReadOnlyList<ExcelColumn<T>> columns)
    {
        var count = new int[1];
        MiniExcel.SaveAs(path, Sheet(rows, columns, count), overwriteFile: true);
        return count[0];
    }

    private static IEnumerable<Dictionary<string, object?>> Sheet<T>(IEnumerable<T> rows, IReadOnlyList<ExcelColumn<T>> columns, int[] written)
    {
        var sums = new decimal[columns.Count];
        var count = 0;
        foreach (var row in rows)
        {
            var line = new Dictionary<string, object?>(columns.Count);
            for (var i = 0; i < columns.Count; i++)
            {
                var value = columns[i].Value(row);
                line[columns[i].Header] = value;
                if (columns[i].Summed && value is not null)
                    sums[i] += Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            written[0] = ++count;
            yield return line;
        }
        if (columns.Any(c => c.Summed) || count == 0)
        {
            var total = new Dictionary<string, object?>(columns.Count);
            for (var i = 0; i < columns.Count; i++)
                total[columns[i].Header] = i == 0 ? $"合计（{count} 条）" : columns[i].Summed ? sums[i] : null;
            yield return total;
        }
    }
}

/// <summary>The council's reports as sheets: Chinese headers, districts and plans by name, money columns totalled.</summary>
public static class ReportColumns
{
    public static readonly ExcelColumn<IncomeExpenditureRow>[] Income =
    [
        new("区县", r => r.District), new("科目", r => r.Account), new("科目名称", r => r.Name),
        new("收入（元）", r => r.Income, Summed: true), new("支出（元）", r => r.Expenditure, Summed: true),
    ];

    public static readonly ExcelColumn<LossRatioRow>[] LossRatio =
    [
        new("计划", r => r.PlanName), new("人期", r => r.Periods, Summed: true), new("会费（元）", r => r.Premiums, Summed: true),
        new("给付（元）", r => r.Payouts, Summed: true), new("赔付率", r => r.LossRatio),
    ];
}
