using System.Globalization;
using System.Text.Json;
using MutualAid.Common;

namespace MutualAid.Benefits;

/// <summary>One thing wrong with an input, at its JSON path, said for a union administrator.</summary>
public sealed record Problem(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>Everything wrong with an input (errors) and what was ignored (warnings), collected rather than thrown at the first.</summary>
public sealed class Problems
{
    private readonly List<Problem> _errors = [];
    private readonly List<Problem> _warnings = [];

    public IReadOnlyList<Problem> Errors => _errors;

    public IReadOnlyList<Problem> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    public void Error(string path, string message) => _errors.Add(new Problem(path, message));

    public void Warning(string path, string message) => _warnings.Add(new Problem(path, message));
}

/// <summary>
/// The one exception of business rules: an input that must be whole before anything can be done
/// with it, or an action a record's state or a rule refuses. Pages, verbs and endpoints turn it
/// (and nothing else) into the message for the person, every problem naming its record or field.
/// </summary>
public sealed class InvalidInputException(IReadOnlyList<Problem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public InvalidInputException(string subject, string message)
        : this([new Problem(subject, message)])
    {
    }

    public IReadOnlyList<Problem> Problems { get; } = problems;
}

internal static class JsonInput
{
    /// <summary>Parses JSON text or throws <see cref="InvalidInputException"/> naming the line.</summary>
    public static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException([new Problem($"第 {e.LineNumber + 1} 行", $"不是有效的 JSON (malformed JSON): {e.Message}")]);
        }
    }
}

/// <summary>
/// Reads the fields of one JSON object, reporting each problem at its path; a null value
/// counts as absent. <see cref="Finish"/> reports the fields nobody asked for.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _element;
    private readonly Problems _problems;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonFields(JsonElement element, string path, Problems problems)
    {
        _element = element;
        Path = path;
        _problems = problems;
    }

    public string Path { get; }

    public static JsonFields? Open(JsonElement element, string path, Problems problems)
    {
        if (element.ValueKind == JsonValueKind.Object)
            return new JsonFields(element, path, problems);
        problems.Error(path, "应为对象 (must be an object)");
        return null;
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public string At(string name) => Join(Path, name);

    public void Error(string name, string message) => _problems.Error(At(name), message);

    public JsonElement? Value(string name, bool required = false)
    {
        _read.Add(name);
        if (_element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            return value;
        if (required)
            Error(name, "缺少必填字段 (required)");
        return null;
    }

    public string? String(string name, bool required = false)
    {
        if (Value(name, required) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            return text;
        Error(name, "应为非空文字 (must be a non-empty string)");
        return null;
    }

    public string? Code(string name, bool required = false)
    {
        var text = String(name, required);
        if (text is null || text.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            return text;
        Error(name, $"代码“{text}”只能由大写字母、数字和下划线组成 (codes are A-Z0-9_)");
        return null;
    }

    public decimal? Decimal(string name, bool required = false)
    {
        if (Value(name, required) is not { } value)
            return null;
        if (ReadDecimal(value) is { } number)
            return number;
        Error(name, "应为数字 (must be a number)");
        return null;
    }

    /// <summary>Yuan, at most two decimals, not negative.</summary>
    public Money? Money(string name, bool required = false) => ReadMoney(Value(name, required), At(name), _problems);

    public int? Int(string name, int min = 0, bool required = false)
    {
        if (Decimal(name, required) is not { } number)
            return null;
        if (number != decimal.Truncate(number) || number > int.MaxValue || number < int.MinValue)
        {
            Error(name, "应为整数 (must be a whole number)");
            return null;
        }
        if (number < min)
        {
            Error(name, min == 0 ? "不能为负数 (must not be negative)" : $"不能小于 {min} (must be at least {min})");
            return null;
        }
        return (int)number;
    }

    public decimal? Rate(string name, bool required = false)
    {
        var rate = Decimal(name, required);
        if (rate is < 0 or > 1)
        {
            Error(name, $"费率 {rate.Value.ToString(CultureInfo.InvariantCulture)} 应在 0 到 1 之间 (rate outside 0–1)");
            return null;
        }
        return rate;
    }

    public bool? Bool(string name)
    {
        if (Value(name) is not { } value)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Error(name, "应为 true 或 false (must be a boolean)");
        return null;
    }

    public DateOnly? Date(string name, bool required = false)
    {
        if (Value(name, required) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        Error(name, $"“{value}”不是 YYYY-MM-DD 格式的日期 (must be a date)");
        return null;
    }

    /// <summary>One of the spec's names; an unknown one is reported with the names allowed.</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> allowed, bool required = false) where T : struct
    {
        if (String(name, required) is not { } text)
            return null;
        if (allowed.TryGetValue(text, out var value))
            return value;
        Error(name, UnknownValue(text, allowed.Keys));
        return null;
    }

    public IReadOnlyList<(JsonElement Item, string Path)>? Array(string name, bool required = false, bool nonEmpty = false)
    {
        if (Value(name, required) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "应为数组 (must be an array)");
            return null;
        }
        var path = At(name);
        var items = value.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]")).ToList();
        if (nonEmpty && items.Count == 0)
            Error(name, "不能为空 (must not be empty)");
        return items;
    }

    /// <summary>An array of strings, each one of <paramref name="allowed"/>.</summary>
    public List<T>? Choices<T>(string name, IReadOnlyDictionary<string, T> allowed, bool required = false, bool nonEmpty = false)
    {
        if (Array(name, required, nonEmpty) is not { } items)
            return null;
        var values = new List<T>();
        foreach (var (item, path) in items)
        {
            if (item.ValueKind == JsonValueKind.String && allowed.TryGetValue(item.GetString()!, out var value))
                values.Add(value);
            else
                _problems.Error(path, UnknownValue(item.ToString(), allowed.Keys));
        }
        return values;
    }

    public List<string>? Strings(string name, bool required = false)
    {
        if (Array(name, required) is not { } items)
            return null;
        var values = new List<string>();
        foreach (var (item, path) in items)
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text)
                values.Add(text);
            else
                _problems.Error(path, "应为非空文字 (must be a non-empty string)");
        }
        return values;
    }

    /// <summary>Reports, as warnings, the fields that were never read: a misspelt one would otherwise vanish unseen.</summary>
    public void Finish(params string[] alsoKnown)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name) && !alsoKnown.Contains(property.Name))
                _problems.Warning(At(property.Name), "未知字段，已忽略 (unknown field, ignored)");
        }
    }

    public static Money? ReadMoney(JsonElement? element, string path, Problems problems)
    {
        if (element is not { } value)
            return null;
        if (ReadDecimal(value) is not { } yuan)
        {
            problems.Error(path, "应为金额数字 (must be a number)");
            return null;
        }
        if (yuan < 0)
        {
            problems.Error(path, $"金额 {yuan.ToString(CultureInfo.InvariantCulture)} 不能为负数 (must not be negative)");
            return null;
        }
        if (!Common.Money.TryFromYuan(yuan, out var money))
        {
            var why = yuan > 1_000_000_000_000m ? "超出范围 (out of range)" : "最多两位小数 (at most two decimals)";
            problems.Error(path, $"金额 {yuan.ToString(CultureInfo.InvariantCulture)} {why}");
            return null;
        }
        return money;
    }

    private static decimal? ReadDecimal(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static string UnknownValue(string text, IEnumerable<string> allowed) =>
        $"未知的取值“{text}”，可选：{string.Join("、", allowed)} (unknown value)";
}
