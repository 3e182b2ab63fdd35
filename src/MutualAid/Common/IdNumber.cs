using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MutualAid.Common;

/// <summary>
/// A resident ID number (居民身份证号码, GB 11643-1999): six digits of the issuing
/// division, the birth date as yyyyMMdd, a three-digit sequence whose last digit is
/// odd for men and even for women, and a check character (0–9 or X) over the first 17.
/// A lower-case x is accepted and stored as X. Fifteen-digit numbers of the first
/// generation are refused: every living holder has been issued an 18-digit one.
/// </summary>
public sealed record IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private IdNumber(string value, DateOnly birthDate, Gender gender)
    {
        Value = value;
        BirthDate = birthDate;
        Gender = gender;
    }

    public string Value { get; }

    public DateOnly BirthDate { get; }

    public Gender Gender { get; }

    public string DivisionCode => Value[..6];

    /// <summary>Shows the division and the last four only: 330203********0016.</summary>
    public string Masked => string.Concat(Value.AsSpan(0, 6), "********", Value.AsSpan(14));

    public static IdNumber Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>On failure <paramref name="error"/> says in Chinese what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IdNumber? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        var value = text?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != 18)
        {
            error = $"身份证号应为 18 位，实为 {value.Length} 位";
            return false;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = $"身份证号第 {i + 1} 位应为数字";
                return false;
            }
        }
        var expected = CheckCharacter(value.AsSpan(0, 17));
        if (value[17] != expected)
        {
            error = $"身份证号校验位错误（应为 {expected}）";
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
        {
            error = $"身份证号中的出生日期 {value.Substring(6, 8)} 无效";
            return false;
        }
        id = new IdNumber(value, birth, (value[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female);
        error = null;
        return true;
    }

    /// <summary>The check character of the first 17 digits (ISO 7064 MOD 11-2).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>Completed years on <paramref name="day"/>; a 29 February birthday counts from 1 March in other years.</summary>
    public int AgeOn(DateOnly day) => Age.On(BirthDate, day);

    public override string ToString() => Value;
}
