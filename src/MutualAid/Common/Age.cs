namespace MutualAid.Common;

public static class Age
{
    /// <summary>Completed years; someone born on 29 February comes of age on 1 March in common years.</summary>
    public static int On(DateOnly birthDate, DateOnly day)
    {
        var years = day.Year - birthDate.Year;
        if (day.Month < birthDate.Month || (day.Month == birthDate.Month && day.Day < birthDate.Day))
            years--;
        return years;
    }
}
