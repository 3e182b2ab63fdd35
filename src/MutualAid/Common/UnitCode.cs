using System.Diagnostics.CodeAnalysis;

namespace MutualAid.Common;

/// <summary>
/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from
/// the 31 that exclude I, O, Z, S and V; a registration authority, an organisation
/// kind, the 6-digit division, a 9-character organisation code and a check character
/// (weights 3^i mod 31). Lower case is accepted and stored upper case.
/// </summary>
public sealed record UnitCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private UnitCode(string value) => Value = value;

    public string Value { get; }

    public string DivisionCode => Value.Substring(2, 6);

    public static UnitCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out UnitCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        var value = text?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != 18)
        {
            error = $"统一社会信用代码应为 18 位，实为 {value.Length} 位";
            return false;
        }
        for (var i = 0; i < 18; i++)
        {
            if (!Alphabet.Contains(value[i], StringComparison.Ordinal))
            {
                error = $"统一社会信用代码第 {i + 1} 位“{value[i]}”不是有效字符";
                return false;
            }
        }
        var expected = CheckCharacter(value.AsSpan(0, 17));
        if (value[17] != expected)
        {
            error = $"统一社会信用代码校验位错误（应为 {expected}）";
            return false;
        }
        code = new UnitCode(value);
        error = null;
        return true;
    }

    /// <summary>The check character of the first 17 characters (GB 32100: 31 − Σ mod 31).</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    public override string ToString() => Value;
}
