using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;
using MutualAid.Tests.Data;

namespace MutualAid.Tests;

/// <summary>The same action sent several times at the same moment, as a double-click or two clerks would.</summary>
internal static class AtOnce
{
    /// <summary>Runs the action N times at once, each on its own connection; how many went through, and the refusals.</summary>
    public static async Task<(int Done, List<InvalidInputException> Refused)> AtOnceAsync(this TestDatabase database, int times, Func<MutualAidDbContext, int, Task> act)
    {
        var ct = TestContext.Current.CancellationToken;
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, times).Select(async i =>
        {
            await using var db = database.NewContext();
            await db.Database.OpenConnectionAsync(ct);
            await start.WaitAsync(ct);
            try
            {
                await act(db, i);
                return null;
            }
            catch (InvalidInputException e)
            {
                return e;
            }
        }).ToList();
        start.Release(times);
        var outcomes = await Task.WhenAll(tasks);
        return (outcomes.Count(o => o is null), [.. outcomes.OfType<InvalidInputException>()]);
    }
}
