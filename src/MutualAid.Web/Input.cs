using System.Globalization;
using System.Text.RegularExpressions;

namespace MutualAid.Web;

/// <summary>What a person types into a search or filter field, read forgivingly; what cannot be read is a message, never an exception.</summary>
public static partial class Input
{
    /// <summary>A year as typed ("2026", "2026年", " ２０２６ "); blank is <paramref name="fallback"/>; anything else is the fallback with a message.</summary>
    public static (int Year, string? Problem) Year(string? text, int fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (fallback, null);
        var match = YearPattern().Match(text.Normalize(System.Text.NormalizationForm.FormKC));
        return match.Success && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var year and >= 1990 and <= 2100
            ? (year, null)
            : (fallback, $"年度“{text.Trim()}”无法识别，请填四位数字（如 {fallback}），已显示 {fallback} 年");
    }

    /// <summary>A date as typed (2026-03-01, 2026/3/1, 2026年3月1日, 20260301); blank is null; anything else null with a message naming the field.</summary>
    public static (DateOnly? Date, string? Problem) Date(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, null);
        var t = text.Normalize(System.Text.NormalizationForm.FormKC).Trim().Replace('年', '-').Replace('月', '-').Replace("日", "").Replace('/', '-').Replace('.', '-');
        return DateOnly.TryParseExact(t, ["yyyy-M-d", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, null)
            : (null, $"{field}“{text.Trim()}”不是日期，请按 2026-03-01 填写");
    }

    /// <summary>An amount in yuan as typed ("1,234.5", "1234.50元"); blank is null; anything else null with a message naming the field.</summary>
    public static (Common.Money? Amount, string? Problem) Amount(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, null);
        var t = text.Normalize(System.Text.NormalizationForm.FormKC).Trim().Replace(",", "").Replace("元", "").Trim();
        return Common.Money.TryParse(t, out var money) ? (money, null) : (null, $"{field}“{text.Trim()}”不是金额，请填数字（元），如 1234.50");
    }

    [GeneratedRegex(@"^\s*(\d{4})\s*年?(度)?\s*$")]
    private static partial Regex YearPattern();
}
