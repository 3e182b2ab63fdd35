using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using MutualAid.Common;

namespace MutualAid.Importing;

/// <summary>How a column's cells are kept: text (Excel's "@" format, so an 18-digit number stays whole), a number, or yuan with two decimals.</summary>
public enum CellKind
{
    Text,
    Number,
    Yuan,
}

/// <summary>A column of a sheet: its header, how its cells are kept, its width in characters.</summary>
public sealed record SheetColumn(string Header, CellKind Kind = CellKind.Text, double Width = 14);

/// <summary>One sheet: its name, its columns and its rows (a cell per column, null for blank).</summary>
public sealed record Sheet(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<object?[]> Rows);

/// <summary>
/// Writes an .xlsx whose text columns are formatted as text for the whole column, not only in the
/// cells written: what a person types later in an ID-number or account column stays as typed
/// instead of turning into 3.30203E+17. The header row is bold and frozen. Rows stream to the
/// output; the file is the same bytes for the same sheets (no timestamps).
/// </summary>
public static class XlsxWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    // Cell formats (cellXfs) by index: 0 general, 1 header, 2 text "@" (built-in 49), 3 yuan "#,##0.00" (built-in 4).
    private const int HeaderStyle = 1;
    private const int TextStyle = 2;
    private const int YuanStyle = 3;

    private static readonly DateTimeOffset Fixed = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Write(Stream output, params Sheet[] sheets)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Part(zip, "[Content_Types].xml", x =>
        {
            x.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(x, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(x, "xml", "application/xml");
            Override(x, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(x, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            for (var i = 1; i <= sheets.Length; i++)
                Override(x, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            x.WriteEndElement();
        });
        Part(zip, "_rels/.rels", x =>
        {
            x.WriteStartElement("Relationships", PackageRelationships);
            Relationship(x, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml");
            x.WriteEndElement();
        });
        Part(zip, "xl/workbook.xml", x =>
        {
            x.WriteStartElement("workbook", Main);
            x.WriteAttributeString("xmlns", "r", null, Relationships);
            x.WriteStartElement("sheets", Main);
            for (var i = 1; i <= sheets.Length; i++)
            {
                x.WriteStartElement("sheet", Main);
                x.WriteAttributeString("name", SheetName(sheets[i - 1].Name, i));
                x.WriteAttributeString("sheetId", Invariant(i));
                x.WriteAttributeString("id", Relationships, $"rId{i}");
                x.WriteEndElement();
            }
            x.WriteEndElement();
            x.WriteEndElement();
        });
        Part(zip, "xl/_rels/workbook.xml.rels", x =>
        {
            x.WriteStartElement("Relationships", PackageRelationships);
            for (var i = 1; i <= sheets.Length; i++)
                Relationship(x, $"rId{i}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", $"worksheets/sheet{i}.xml");
            Relationship(x, $"rId{sheets.Length + 1}", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", "styles.xml");
            x.WriteEndElement();
        });
        Part(zip, "xl/styles.xml", Styles);
        for (var i = 1; i <= sheets.Length; i++)
        {
            var sheet = sheets[i - 1];
            Part(zip, $"xl/worksheets/sheet{i}.xml", x => Worksheet(x, sheet));
        }
    }

    private static void Worksheet(XmlWriter x, Sheet sheet)
    {
        x.WriteStartElement("worksheet", Main);
        x.WriteStartElement("sheetViews", Main);
        x.WriteStartElement("sheetView", Main);
        x.WriteAttributeString("workbookViewId", "0");
        x.WriteStartElement("pane", Main);
        x.WriteAttributeString("ySplit", "1");
        x.WriteAttributeString("topLeftCell", "A2");
        x.WriteAttributeString("activePane", "bottomLeft");
        x.WriteAttributeString("state", "frozen");
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("cols", Main);
        for (var c = 0; c < sheet.Columns.Count; c++)
        {
            var column = sheet.Columns[c];
            x.WriteStartElement("col", Main);
            x.WriteAttributeString("min", Invariant(c + 1));
            x.WriteAttributeString("max", Invariant(c + 1));
            x.WriteAttributeString("width", column.Width.ToString(CultureInfo.InvariantCulture));
            x.WriteAttributeString("customWidth", "1");
            // The column's own format: the cells nobody has written yet take it when a person types in them.
            if (StyleOf(column.Kind) is > 0 and var style)
                x.WriteAttributeString("style", Invariant(style));
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteStartElement("sheetData", Main);
        Row(x, 1, sheet.Columns.Select(c => (object?)c.Header).ToArray(), sheet.Columns, header: true);
        var r = 1;
        foreach (var row in sheet.Rows)
            Row(x, ++r, row, sheet.Columns, header: false);
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Row(XmlWriter x, int r, object?[] cells, IReadOnlyList<SheetColumn> columns, bool header)
    {
        x.WriteStartElement("row", Main);
        x.WriteAttributeString("r", Invariant(r));
        for (var c = 0; c < columns.Count && c < cells.Length; c++)
        {
            if (cells[c] is not { } value)
                continue;
            var kind = header ? CellKind.Text : columns[c].Kind;
            x.WriteStartElement("c", Main);
            x.WriteAttributeString("r", ColumnLetters(c) + Invariant(r));
            x.WriteAttributeString("s", Invariant(header ? HeaderStyle : StyleOf(kind)));
            if (kind != CellKind.Text && Number(value) is { } number)
            {
                x.WriteElementString("v", Main, number);
            }
            else
            {
                x.WriteAttributeString("t", "inlineStr");
                x.WriteStartElement("is", Main);
                x.WriteStartElement("t", Main);
                x.WriteAttributeString("xml", "space", null, "preserve");
                x.WriteString(XmlText(Text(value)));
                x.WriteEndElement();
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private static int StyleOf(CellKind kind) => kind switch
    {
        CellKind.Text => TextStyle,
        CellKind.Yuan => YuanStyle,
        _ => 0,
    };

    private static string? Number(object value) => value switch
    {
        Money m => m.Yuan.ToString(CultureInfo.InvariantCulture),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        int or long or short => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Text(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        Money m => m.ToInvariantString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Characters XML 1.0 cannot carry (control characters other than tab and line breaks) are dropped.</summary>
    private static string XmlText(string text)
    {
        if (!text.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF'))
            return text;
        return string.Concat(text.Where(c => !(c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF')));
    }

    private static void Styles(XmlWriter x)
    {
        x.WriteStartElement("styleSheet", Main);
        x.WriteStartElement("fonts", Main);
        x.WriteAttributeString("count", "2");
        Font(x, bold: false);
        Font(x, bold: true);
        x.WriteEndElement();
        x.WriteStartElement("fills", Main);
        x.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            x.WriteStartElement("fill", Main);
            x.WriteStartElement("patternFill", Main);
            x.WriteAttributeString("patternType", pattern);
            x.WriteEndElement();
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteStartElement("borders", Main);
        x.WriteAttributeString("count", "1");
        x.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" })
            x.WriteElementString(side, Main, "");
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("cellStyleXfs", Main);
        x.WriteAttributeString("count", "1");
        Xf(x, numFmt: 0, font: 0, master: false);
        x.WriteEndElement();
        x.WriteStartElement("cellXfs", Main);
        x.WriteAttributeString("count", "4");
        Xf(x, numFmt: 0, font: 0);
        Xf(x, numFmt: 49, font: 1);
        Xf(x, numFmt: 49, font: 0);
        Xf(x, numFmt: 4, font: 0);
        x.WriteEndElement();
        x.WriteStartElement("cellStyles", Main);
        x.WriteAttributeString("count", "1");
        x.WriteStartElement("cellStyle", Main);
        x.WriteAttributeString("name", "Normal");
        x.WriteAttributeString("xfId", "0");
        x.WriteAttributeString("builtinId", "0");
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Font(XmlWriter x, bool bold)
    {
        x.WriteStartElement("font", Main);
        if (bold)
            x.WriteElementString("b", Main, "");
        x.WriteStartElement("sz", Main);
        x.WriteAttributeString("val", "11");
        x.WriteEndElement();
        x.WriteStartElement("name", Main);
        x.WriteAttributeString("val", "宋体");
        x.WriteEndElement();
        x.WriteStartElement("charset", Main);
        x.WriteAttributeString("val", "134");
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Xf(XmlWriter x, int numFmt, int font, bool master = true)
    {
        x.WriteStartElement("xf", Main);
        x.WriteAttributeString("numFmtId", Invariant(numFmt));
        x.WriteAttributeString("fontId", Invariant(font));
        x.WriteAttributeString("fillId", "0");
        x.WriteAttributeString("borderId", "0");
        if (master)
        {
            x.WriteAttributeString("xfId", "0");
            if (numFmt != 0)
                x.WriteAttributeString("applyNumberFormat", "1");
            if (font != 0)
                x.WriteAttributeString("applyFont", "1");
        }
        x.WriteEndElement();
    }

    private static void Part(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = Fixed;
        using var stream = entry.Open();
        using var x = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        x.WriteStartDocument(standalone: true);
        write(x);
        x.WriteEndDocument();
    }

    private static void Default(XmlWriter x, string extension, string type)
    {
        x.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        x.WriteAttributeString("Extension", extension);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }

    private static void Override(XmlWriter x, string part, string type)
    {
        x.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        x.WriteAttributeString("PartName", part);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }

    private static void Relationship(XmlWriter x, string id, string type, string target)
    {
        x.WriteStartElement("Relationship", PackageRelationships);
        x.WriteAttributeString("Id", id);
        x.WriteAttributeString("Type", type);
        x.WriteAttributeString("Target", target);
        x.WriteEndElement();
    }

    /// <summary>A sheet name as Excel allows it: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string name, int index)
    {
        var clean = string.Concat(name.Where(c => "[]:*?/\\".IndexOf(c, StringComparison.Ordinal) < 0)).Trim('\'');
        return clean.Length == 0 ? $"Sheet{index}" : clean.Length > 31 ? clean[..31] : clean;
    }

    internal static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            letters = (char)('A' + (n - 1) % 26) + letters;
        return letters;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
