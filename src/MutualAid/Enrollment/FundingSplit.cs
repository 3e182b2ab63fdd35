using System.Globalization;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Enrollment;

/// <summary>
/// How a premium is shared (保费分担), in whole percent that add up to 100, e.g.
/// "单位=60,个人=40" or "employer=60,worker=40". Each part is rounded to the fen and the
/// fen left over go to the largest remainders, so the parts always add up to the premium.
/// </summary>
public sealed record FundingSplit(int Worker, int Employer, int Union, int Government, int Donation)
{
    private static readonly Dictionary<string, int> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["个人"] = 0, ["worker"] = 0,
        ["单位"] = 1, ["employer"] = 1,
        ["工会"] = 2, ["union"] = 2,
        ["政府"] = 3, ["government"] = 3,
        ["捐赠"] = 4, ["donation"] = 4,
    };

    public static FundingSplit Parse(string text)
    {
        var percent = new int[5];
        foreach (var part in text.Split([',', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !Names.TryGetValue(pair[0], out var index))
                throw Invalid($"“{part}”应为 个人、单位、工会、政府、捐赠 之一等于百分数，如 单位=60");
            if (!int.TryParse(pair[1].TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 100)
                throw Invalid($"“{part}”的比例应为 0–100 的整数");
            percent[index] += value;
        }
        if (percent.Sum() != 100)
            throw Invalid($"各方比例合计 {percent.Sum()}%，应为 100%");
        return new FundingSplit(percent[0], percent[1], percent[2], percent[3], percent[4]);
    }

    public FundingShares Apply(Money premium)
    {
        int[] percent = [Worker, Employer, Union, Government, Donation];
        var exact = percent.Select(p => premium.Fen * p / 100m).ToArray();
        var fen = exact.Select(e => (long)decimal.Floor(e)).ToArray();
        var left = premium.Fen - fen.Sum();
        foreach (var i in Enumerable.Range(0, 5).OrderByDescending(i => exact[i] - fen[i]).ThenBy(i => i).Take((int)left))
            fen[i]++;
        return new FundingShares(new Money(fen[0]), new Money(fen[1]), new Money(fen[2]), new Money(fen[3]), new Money(fen[4]));
    }

    private static InvalidInputException Invalid(string message) => new([new Problem("保费分担", message)]);
}
