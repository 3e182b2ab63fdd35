using System.Globalization;

namespace MutualAid.Common;

/// <summary>
/// An amount of yuan held as whole fen (分). Arithmetic is checked: an overflow throws
/// rather than wraps. Anything finer than a fen is rounded half away from zero
/// (75.495 → 75.50, -0.005 → -0.01), never with the banker's rounding that
/// <see cref="decimal.Round(decimal)"/> uses by default.
/// </summary>
public readonly record struct Money(long Fen) : IComparable<Money>
{
    public static readonly Money Zero;

    // A trillion yuan: far above any fund, far below where a long of fen overflows.
    private const decimal MaxYuan = 1_000_000_000_000m;

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    public decimal Yuan => Fen / 100m;

    public bool IsZero => Fen == 0;

    public bool IsNegative => Fen < 0;

    /// <summary>Whole yuan and fen exactly; more than two decimals is an error, not a rounding.</summary>
    public static Money FromYuan(decimal yuan)
    {
        if (!TryFromYuan(yuan, out var money))
            throw new ArgumentException($"金额 {yuan.ToString(CultureInfo.InvariantCulture)} 超过两位小数或超出范围", nameof(yuan));
        return money;
    }

    public static bool TryFromYuan(decimal yuan, out Money money)
    {
        money = Zero;
        if (yuan > MaxYuan || yuan < -MaxYuan)
            return false;
        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
            return false;
        money = new Money((long)fen);
        return true;
    }

    /// <summary>Rounds an exact amount in yuan to the fen, half away from zero.</summary>
    public static Money RoundYuan(decimal yuan) => RoundFen(yuan * 100m);

    /// <summary>Rounds an exact amount in fen to a whole fen, half away from zero.</summary>
    public static Money RoundFen(decimal fen) =>
        new((long)decimal.Round(fen, 0, MidpointRounding.AwayFromZero));

    /// <summary>Parses "1234.5", "1,234.50" or "-3" invariantly; more than two decimals fails.</summary>
    public static bool TryParse(string? text, out Money money)
    {
        money = Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        return decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var yuan)
            && TryFromYuan(yuan, out money);
    }

    public static Money Min(Money a, Money b) => a.Fen <= b.Fen ? a : b;

    public static Money Max(Money a, Money b) => a.Fen >= b.Fen ? a : b;

    public static Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Zero, (sum, a) => sum + a);

    public static Money operator +(Money a, Money b) => new(checked(a.Fen + b.Fen));

    public static Money operator -(Money a, Money b) => new(checked(a.Fen - b.Fen));

    public static Money operator -(Money a) => new(checked(-a.Fen));

    public static Money operator *(Money a, int factor) => new(checked(a.Fen * factor));

    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;

    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;

    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;

    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;

    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    /// <summary>The machine form: "12200.00", "-0.05".</summary>
    public string ToInvariantString() => Yuan.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The form for people: "30,000.00".</summary>
    public string ToDisplayString() => Yuan.ToString("#,##0.00", Chinese);

    public override string ToString() => ToInvariantString();
}
