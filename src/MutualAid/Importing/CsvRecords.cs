using System.Globalization;
using System.Text;

namespace MutualAid.Importing;

/// <summary>One CSV record: the physical lines it spans, its fields, and what is wrong with it when it breaks RFC 4180.</summary>
internal sealed record CsvRecord(int Line, int LastLine, IReadOnlyList<string> Fields, int FaultField, string? Fault);

/// <summary>
/// RFC 4180 records (separated by commas, or by another character such as a tab), one at a time, each with the physical line it starts on (a quoted field may
/// span lines). A record that breaks the rules — a quote left open, text after a closing quote, a
/// quote inside an unquoted field, a field longer than <c>maxField</c> characters — comes back
/// with its fault instead of being thrown, and reading goes on after it: one bad record never
/// hides the rest of the file. Memory stays bounded: a field stops growing at <c>maxField</c>.
/// </summary>
internal sealed class CsvRecords(TextReader reader, int maxField, char separator = ',')
{
    private readonly StringBuilder _quoted = new();
    private int _line = 1;

    /// <summary>The next record, read a line at a time (a quoted field takes the following lines it spans); null at the end.</summary>
    public CsvRecord? Next()
    {
        var text = reader.ReadLine();
        if (text is null)
            return null;
        var start = _line++;
        var fields = new List<string>();
        string? fault = null;
        var faultField = -1;
        void Fault(string reason, bool replace = false)
        {
            if (fault is not null && !replace)
                return;
            fault = reason;
            faultField = fields.Count;
        }
        string Cut(ReadOnlySpan<char> field)
        {
            if (field.Length <= maxField)
                return field.ToString();
            Fault(string.Create(CultureInfo.InvariantCulture, $"字段超过 {maxField} 个字符"));
            return field[..maxField].ToString();
        }

        var i = 0;
        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                var opened = _line - 1;
                _quoted.Clear();
                i++;
                while (true)
                {
                    var quote = text.IndexOf('"', i);
                    if (quote < 0)
                    {
                        Keep(text.AsSpan(i));
                        Keep("\n");
                        if (reader.ReadLine() is not { } more)
                        {
                            Fault($"引号不成对：第 {opened} 行打开的引号直到文件末尾都没有关闭", replace: true);
                            fields.Add(Cut(_quoted.ToString()));
                            return new CsvRecord(start, _line - 1, fields, faultField, fault);
                        }
                        (text, i) = (more, 0);
                        _line++;
                        continue;
                    }
                    Keep(text.AsSpan(i, quote - i));
                    if (quote + 1 < text.Length && text[quote + 1] == '"')
                    {
                        Keep("\"");
                        i = quote + 2;
                        continue;
                    }
                    i = quote + 1;
                    break;
                }
                var value = Cut(_quoted.ToString());
                if (i < text.Length && text[i] != separator)
                    Fault($"引号不成对：第 {opened} 行打开的引号在第 {_line - 1} 行关闭后又跟着其他字符", replace: true);
                fields.Add(value);
                if (i == text.Length || fault is not null && text[i] != separator)
                    return new CsvRecord(start, _line - 1, fields, faultField, fault);
                i++;
                continue;
            }
            var comma = text.IndexOf(separator, i);
            var field = text.AsSpan(i, (comma < 0 ? text.Length : comma) - i);
            if (field.Contains('"'))
                Fault("引号只能出现在以引号开头的字段里（RFC 4180）");
            fields.Add(Cut(field));
            if (comma < 0)
                return new CsvRecord(start, _line - 1, fields, faultField, fault);
            i = comma + 1;
        }
    }

    /// <summary>Adds to the quoted field being read, up to the longest a field may be (the rest is only counted as too long).</summary>
    private void Keep(ReadOnlySpan<char> text)
    {
        var room = maxField + 1 - _quoted.Length;
        if (room > 0)
            _quoted.Append(text.Length <= room ? text : text[..room]);
    }
}
