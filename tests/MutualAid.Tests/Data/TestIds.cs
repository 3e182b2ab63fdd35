using System.Globalization;
using MutualAid.Common;

namespace MutualAid.Tests.Data;

/// <summary>Valid resident ID numbers and unit codes for tests, with their check characters computed.</summary>
internal static class TestIds
{
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string UnitAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] UnitWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>The <paramref name="sequence"/>th person of a division born on a day, odd sequence digits for men.</summary>
    public static string Person(int sequence, DateOnly birthDate, Gender gender, string division = "330203")
    {
        var order = sequence % 50 * 2 + (gender == Gender.Male ? 1 : 0);
        var body = division + birthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + order.ToString("D3", CultureInfo.InvariantCulture);
        var sum = body.Select((c, i) => (c - '0') * IdWeights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    /// <summary>A unit code of a division, told apart by <paramref name="sequence"/>.</summary>
    public static string Unit(int sequence, string division = "330203")
    {
        var body = "91" + division + sequence.ToString("D9", CultureInfo.InvariantCulture);
        var sum = body.Select((c, i) => UnitAlphabet.IndexOf(c, StringComparison.Ordinal) * UnitWeights[i]).Sum();
        return body + UnitAlphabet[(31 - sum % 31) % 31];
    }
}
