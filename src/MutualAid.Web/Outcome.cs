using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>What a form's action came to: the sentence for the person, and whether it went through.</summary>
internal static class Outcome
{
    /// <summary>Runs an action; refused input becomes the message, every problem named, and nothing of it stays tracked.</summary>
    public static async Task<(string Message, bool Ok)> RunAsync(MutualAidDbContext db, Func<Task<string>> act)
    {
        try
        {
            return (await act(), true);
        }
        catch (InvalidInputException e)
        {
            db.ChangeTracker.Clear();
            return (Text(e), false);
        }
    }

    public static string Text(InvalidInputException e) => string.Join("；", e.Problems.Select(p => p.ToString()));
}
