using System.Text;

namespace MutualAid.Importing;

/// <summary>The Excel (or CSV) templates units download: Chinese headers, every column as text, the rules on a second sheet.</summary>
public static class Templates
{
    public static readonly IReadOnlyDictionary<string, (string[] Columns, string[] Notes)> All =
        new Dictionary<string, (string[], string[])>
        {
            ["roster"] = (ImportRoster.Template,
                [
                    "姓名、身份证号必填；其余可空。",
                    "身份证号请保持文本格式（18 位，末位可为 X），否则 Excel 会把号码改成科学计数法。",
                    "性别、出生日期如填写，须与身份证号一致。",
                    "会员类别：在职、退休、灵活就业、失业、劳模，空为在职。",
                    "医保类型：城镇职工、城乡居民（含城镇居民、新农合）或其他（异地参保或未参保）；空则不变。",
                    "单位统一社会信用代码为空时，按导入时指定的单位。",
                    "开户银行、银行账号：互助金付到这张卡（8–30 位数字）；空则不变。",
                    "同一人在表中只能出现一次；再次导入同一文件不会重复登记。",
                ]),
            ["enrollments"] = (ImportRoster.EnrolmentTemplate,
                [
                    "每行为一人参加一个计划；同一人参加多个计划时写多行。",
                    "姓名、身份证号、计划代码、开始日期必填；期间自开始日期起一年。",
                    "计划代码见 mutualaid scheme show，如 INPATIENT、RETIREE、CRITICAL、FEMALE。",
                    "份数空为 1；赠送填“是”时保费由工会承担。",
                    "单位统一社会信用代码为空时为个人参保，由本人缴费。",
                    "开户银行、银行账号：互助金付到这张卡；空则不变。",
                    "再次导入同一文件不会重复参保。",
                ]),
        };

    /// <summary>Writes the template to a file: .csv (UTF-8 with a BOM, the header only) or .xlsx.</summary>
    public static void Write(string kind, string path)
    {
        var template = Find(kind);
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            File.WriteAllText(path, string.Join(",", template.Columns) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            return;
        }
        using var file = File.Create(path);
        WriteXlsx(template, file);
    }

    /// <summary>The .xlsx template's bytes, for a download.</summary>
    public static byte[] Xlsx(string kind)
    {
        using var buffer = new MemoryStream();
        WriteXlsx(Find(kind), buffer);
        return buffer.ToArray();
    }

    private static (string[] Columns, string[] Notes) Find(string kind) =>
        All.TryGetValue(kind, out var template) ? template
        : throw new ArgumentException($"没有名为 {kind} 的模板，可选：{string.Join("、", All.Keys)}", nameof(kind));

    /// <summary>
    /// No sample person: a template uploaded as it is must import nobody. Every column is text for
    /// the whole column, so an ID number or a bank account typed or pasted in keeps its digits.
    /// </summary>
    private static void WriteXlsx((string[] Columns, string[] Notes) template, Stream output) =>
        XlsxWriter.Write(output,
            new Sheet("名单", [.. template.Columns.Select(c => new SheetColumn(c, CellKind.Text, Wide(c) ? 24 : 12))], []),
            new Sheet("填写说明", [new SheetColumn("填写说明", CellKind.Text, 90)], template.Notes.Select(n => new object?[] { n })));

    private static bool Wide(string column) => column is "身份证号" or "银行账号" || column.Contains("代码", StringComparison.Ordinal);
}
