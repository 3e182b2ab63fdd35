using System.Globalization;
using MutualAid.Common;

namespace MutualAid.Tests.Data;

/// <summary>Valid resident ID numbers and unit codes for tests.</summary>
internal static class TestIds
{
    /// <summary>The <paramref name="sequence"/>th person of a division born on a day, odd sequence digits for men.</summary>
    public static string Person(int sequence, DateOnly birthDate, Gender gender, string division = "330203")
    {
        var order = sequence % 50 * 2 + (gender == Gender.Male ? 1 : 0);
        var body = division + birthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + order.ToString("D3", CultureInfo.InvariantCulture);
        return body + IdNumber.CheckCharacter(body);
    }

    /// <summary>A unit code of a division, told apart by <paramref name="sequence"/>.</summary>
    public static string Unit(int sequence, string division = "330203")
    {
        var body = "91" + division + sequence.ToString("D9", CultureInfo.InvariantCulture);
        return body + UnitCode.CheckCharacter(body);
    }
}
