using System.Globalization;
using System.Text;

namespace MutualAid.Importing;

/// <summary>One CSV record: the physical lines it spans, its fields, and what is wrong with it when it breaks RFC 4180.</summary>
internal sealed record CsvRecord(int Line, int LastLine, IReadOnlyList<string> Fields, int FaultField, string? Fault);

/// <summary>
/// RFC 4180 records, one at a time, each with the physical line it starts on (a quoted field may
/// span lines). A record that breaks the rules — a quote left open, text after a closing quote, a
/// quote inside an unquoted field, a field longer than <c>maxField</c> characters — comes back
/// with its fault instead of being thrown, and reading goes on after it: one bad record never
/// hides the rest of the file. Memory stays bounded: a field stops growing at <c>maxField</c>.
/// </summary>
internal sealed class CsvRecords(TextReader reader, int maxField)
{
    private int _line = 1;
    private bool _afterLineBreak;

    public CsvRecord? Next()
    {
        if (reader.Peek() < 0)
            return null;
        var start = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        string? fault = null;
        var faultField = -1;
        void Fault(string reason)
        {
            if (fault is not null)
                return;
            fault = reason;
            faultField = fields.Count;
        }
        void Append(int c)
        {
            if (field.Length < maxField)
                field.Append((char)c);
            else
                Fault(string.Create(CultureInfo.InvariantCulture, $"字段超过 {maxField} 个字符"));
        }

        while (true)
        {
            field.Clear();
            var c = Read();
            if (c == '"')
            {
                var opened = _line;
                while (true)
                {
                    c = Read();
                    if (c < 0)
                    {
                        fault = null;
                        Fault($"引号不成对：第 {opened} 行打开的引号直到文件末尾都没有关闭");
                        break;
                    }
                    if (c == '"')
                    {
                        if (reader.Peek() != '"')
                            break;
                        Read();
                    }
                    else if (IsNewLine(c))
                    {
                        _line++;
                        c = '\n';
                    }
                    Append(c);
                }
                if (c >= 0)
                {
                    c = Read();
                    if (c is not (',' or '\r' or '\n' or -1))
                    {
                        fault = null;
                        Fault($"引号不成对：第 {opened} 行打开的引号在第 {_line} 行关闭后又跟着其他字符");
                        c = SkipLine();
                    }
                }
            }
            else
            {
                while (c is not (',' or '\r' or '\n' or -1))
                {
                    if (c == '"')
                        Fault("引号只能出现在以引号开头的字段里（RFC 4180）");
                    Append(c);
                    c = Read();
                }
            }
            fields.Add(field.ToString());
            if (c == ',')
                continue;
            if (IsNewLine(c))
                _line++;
            return new CsvRecord(start, _afterLineBreak ? _line - 1 : _line, fields, faultField, fault);
        }
    }

    private int Read()
    {
        var c = reader.Read();
        if (c >= 0)
            _afterLineBreak = c is '\r' or '\n';
        return c;
    }

    /// <summary>True for a line break, reading the \n of a \r\n with it.</summary>
    private bool IsNewLine(int c)
    {
        if (c == '\r' && reader.Peek() == '\n')
            Read();
        return c is '\r' or '\n';
    }

    private int SkipLine()
    {
        int c;
        while ((c = Read()) is not ('\r' or '\n' or -1))
        {
        }
        return c;
    }
}
