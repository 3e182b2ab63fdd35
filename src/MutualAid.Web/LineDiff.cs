namespace MutualAid.Web;

/// <summary>A line diff (longest common subsequence): each line of the two texts as kept, removed or added.</summary>
public static class LineDiff
{
    public enum Change
    {
        Kept,
        Removed,
        Added,
    }

    public static List<(Change Change, string Line)> Of(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var common = new int[before.Count + 1, after.Count + 1];
        for (var i = before.Count - 1; i >= 0; i--)
        {
            for (var j = after.Count - 1; j >= 0; j--)
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        }
        var result = new List<(Change, string)>();
        int a = 0, b = 0;
        while (a < before.Count || b < after.Count)
        {
            if (a < before.Count && b < after.Count && before[a] == after[b])
            {
                result.Add((Change.Kept, before[a++]));
                b++;
            }
            else if (a < before.Count && (b == after.Count || common[a + 1, b] >= common[a, b + 1]))
                result.Add((Change.Removed, before[a++]));
            else
                result.Add((Change.Added, after[b++]));
        }
        return result;
    }
}
