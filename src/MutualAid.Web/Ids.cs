using MutualAid.Access;
using MutualAid.Common;

namespace MutualAid.Web;

/// <summary>ID numbers as the viewer may see them: masked (330203********0016) unless their role needs the whole.</summary>
public static class Ids
{
    public static string Show(string idNumber, UserScope scope) => scope.SeesFullIdNumbers ? idNumber : IdNumber.Parse(idNumber).Masked;
}
