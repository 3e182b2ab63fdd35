using Microsoft.AspNetCore.WebUtilities;
using MutualAid.Common;

namespace MutualAid.Web;

/// <summary>
/// A list's filter, order and page as the address carries them (<c>?state=PendingReview&amp;from=2026-01-01&amp;sort=amount&amp;desc=1&amp;page=2</c>),
/// read the same way by the page and by its Excel export. What cannot be read is left out of the
/// filter and said in <see cref="Problems"/>, never an error.
/// </summary>
public sealed class ListQuery
{
    private readonly Dictionary<string, string> _values;
    private readonly string _path;

    private ListQuery(string path, Dictionary<string, string> values) => (_path, _values) = (path, values);

    public List<string> Problems { get; } = [];

    public static ListQuery Of(string uri)
    {
        var at = uri.IndexOf('?', StringComparison.Ordinal);
        var query = at >= 0 ? uri[at..] : "";
        var path = at >= 0 ? uri[..at] : uri.Split('#')[0];
        // The page's own path: a bare "?…" would resolve against the document's base ("/"), not the page.
        path = Uri.TryCreate(path, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : path;
        return new(path, QueryHelpers.ParseQuery(query.Split('#')[0]).Where(p => !string.IsNullOrWhiteSpace(p.Value.ToString()))
            .ToDictionary(p => p.Key, p => p.Value.ToString().Trim(), StringComparer.OrdinalIgnoreCase));
    }

    public static ListQuery Of(HttpRequest request) => Of(request.QueryString.Value ?? "");

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public DateOnly? Date(string name, string label) => Keep(Input.Date(Text(name), label));

    /// <summary>An amount to filter by: a list holds no negative amounts, so one is said and left out.</summary>
    public Money? Amount(string name, string label)
    {
        var amount = Keep(Input.Amount(Text(name), label));
        if (amount is not { IsNegative: true })
            return amount;
        Say($"{label}“{Text(name)}”不能为负数，已忽略");
        return null;
    }

    /// <summary>A year from 2000 to 2100, or <paramref name="fallback"/> with what was wrong said.</summary>
    public int Year(string name, string label, int fallback)
    {
        if (Text(name) is not { } text)
            return fallback;
        if (int.TryParse(text.Normalize(System.Text.NormalizationForm.FormKC), out var year) && year is >= 2000 and <= 2100)
            return year;
        Say($"{label}“{text}”不是 2000 至 2100 之间的年份，改为 {fallback} 年");
        return fallback;
    }

    public int? Number(string name, string label)
    {
        if (Text(name) is not { } text)
            return null;
        if (int.TryParse(text.Normalize(System.Text.NormalizationForm.FormKC), out var n) && n >= 0)
            return n;
        Say($"{label}“{text}”不是整数，已忽略");
        return null;
    }

    public TEnum? Choice<TEnum>(string name) where TEnum : struct, Enum =>
        Text(name) is { } text && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;

    public PageRequest Page => new(
        Number("page", "页码") ?? 1, Number("size", "每页条数") ?? PageRequest.DefaultSize, Text("sort"),
        Text("desc") switch { "1" or "true" => true, "0" or "false" => false, _ => null });

    /// <summary>This page with its filter and order, some values changed (null removes one).</summary>
    public string With(params (string Name, string? Value)[] changes)
    {
        var values = new Dictionary<string, string>(_values, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in changes)
        {
            if (value is null)
                values.Remove(name);
            else
                values[name] = value;
        }
        return QueryHelpers.AddQueryString(_path, values!);
    }

    /// <summary>The export of what the filter shows: the same query without the page.</summary>
    public string Export(string path) => path + With(("page", null), ("size", null))[_path.Length..];

    private T? Keep<T>((T? Value, string? Problem) read) where T : struct
    {
        if (read.Problem is not null)
            Say(read.Problem + "，已忽略");
        return read.Value;
    }

    /// <summary>Each problem once, however often the page reads the value.</summary>
    private void Say(string problem)
    {
        if (!Problems.Contains(problem))
            Problems.Add(problem);
    }
}
