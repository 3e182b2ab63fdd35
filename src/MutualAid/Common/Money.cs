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

    private const string CapitalDigits = "零壹贰叁肆伍陆柒捌玖";
    private static readonly string[] CapitalPlaces = ["", "拾", "佰", "仟"];
    // Groups of four digits: 万, 亿, then 万亿 and 亿亿 (a long of fen reaches 9.2 亿亿 yuan).
    private static readonly string[] CapitalGroups = ["", "万", "亿", "万", "亿"];

    /// <summary>
    /// The amount in Chinese capitals (大写) as written on vouchers and notices, without the
    /// 人民币 the form prints before it: 壹仟贰佰叁拾肆元伍角陆分, 壹拾元整, 伍分, 零元整.
    /// The rules are those of 《支付结算办法》's appendix on writing amounts, taking its first form
    /// wherever it allows two: one 零 for a run of zeros between digits (陆仟零柒元); a group of
    /// 万 or 亿 whose thousands digit is 0 starts with 零 (壹仟万零壹佰元, 壹亿零壹元) and one whose
    /// thousands digit is not 0 does not (壹拾万柒仟元); 零 after 元 when the 元 digit or the 角 is 0
    /// and something follows (壹仟陆佰捌拾元零叁角贰分, 壹仟元零壹分); 拾 always with its digit
    /// (壹拾元). 整 ends an amount that stops at 元 or at 角 (伍角整: the rules allow it after 角, and
    /// offices write it there too so nothing can be added); an amount with 分 has none. An amount
    /// under one yuan starts at its first digit (伍角陆分). A negative amount is prefixed 负.
    /// </summary>
    public string ToChineseCapitals()
    {
        if (Fen < 0)
            return "负" + (-this).ToChineseCapitals();
        var yuan = Fen / 100;
        var (jiao, fen) = ((int)(Fen / 10 % 10), (int)(Fen % 10));
        var text = new System.Text.StringBuilder();
        var digits = yuan.ToString(CultureInfo.InvariantCulture);
        var zeroPending = false;
        for (var i = 0; yuan > 0 && i < digits.Length; i++)
        {
            var place = digits.Length - 1 - i;
            var digit = digits[i] - '0';
            if (digit == 0)
                zeroPending = true;
            else
            {
                if (zeroPending)
                    text.Append('零');
                text.Append(CapitalDigits[digit]).Append(CapitalPlaces[place % 4]);
                zeroPending = false;
            }
            // A group's name after its last digit: 万 when the group holds a digit, 亿 whenever anything above it does.
            if (place % 4 == 0 && place > 0)
            {
                var group = place / 4;
                var groupHasDigit = digits.AsSpan(Math.Max(0, i - 3), Math.Min(4, i + 1)).IndexOfAnyExcept('0') >= 0;
                if (group == 2 || groupHasDigit)
                {
                    text.Append(CapitalGroups[group]);
                    zeroPending = false;
                }
            }
        }
        if (yuan > 0)
            text.Append('元');
        if (jiao == 0 && fen == 0)
            return yuan == 0 ? "零元整" : text.Append('整').ToString();
        if (yuan > 0 && (yuan % 10 == 0 || jiao == 0))
            text.Append('零');
        if (jiao > 0)
            text.Append(CapitalDigits[jiao]).Append('角');
        return fen > 0 ? text.Append(CapitalDigits[fen]).Append('分').ToString() : text.Append('整').ToString();
    }
}
