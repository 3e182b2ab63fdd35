namespace MutualAid.Common;

public enum Gender
{
    Male,
    Female,
}
