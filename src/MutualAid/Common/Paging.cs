using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace MutualAid.Common;

/// <summary>Which page of a list, how long, and in what order (a key of the list's <see cref="Sorting{T}"/>).</summary>
public sealed record PageRequest(int Number = 1, int Size = PageRequest.DefaultSize, string? Sort = null, bool? Descending = null)
{
    public const int DefaultSize = 50;

    /// <summary>The lengths offered; another is read as the default.</summary>
    public static readonly int[] Sizes = [20, 50, 100, 200];

    /// <summary>The request made sensible: page 1 or later, a length of <see cref="Sizes"/>.</summary>
    public PageRequest Normalized => this with { Number = Math.Max(1, Number), Size = Sizes.Contains(Size) ? Size : DefaultSize };
}

/// <summary>One page of a list: its rows, and how many rows the whole filtered list has.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Rows, int Total, PageRequest Request)
{
    public int Pages => Math.Max(1, (Total + Request.Size - 1) / Request.Size);
}

/// <summary>
/// The orders a list offers, by key. The first key identifies a row (an id), and breaks ties of
/// every other order, so paging never shows a row twice or skips one. Counting, ordering and
/// paging all run in the database.
/// </summary>
public sealed class Sorting<T>(string defaultKey, bool defaultDescending, params (string Key, Expression<Func<T, object?>> By)[] keys)
{
    public IEnumerable<string> Keys => keys.Select(k => k.Key);

    public (string Key, bool Descending) Resolve(PageRequest request) =>
        keys.Any(k => k.Key == request.Sort) ? (request.Sort!, request.Descending ?? false) : (defaultKey, request.Descending ?? defaultDescending);

    public IOrderedQueryable<T> Apply(IQueryable<T> query, PageRequest request)
    {
        var (key, descending) = Resolve(request);
        var by = keys.Single(k => k.Key == key).By;
        var ordered = descending ? query.OrderByDescending(by) : query.OrderBy(by);
        return key == keys[0].Key ? ordered : descending ? ordered.ThenByDescending(keys[0].By) : ordered.ThenBy(keys[0].By);
    }

    /// <summary>A page of the list; <paramref name="total"/> when the caller counted the rows by a cheaper query of the same rows.</summary>
    public async Task<PageOf<T>> PageAsync(IQueryable<T> query, PageRequest request, CancellationToken cancellationToken, int? total = null)
    {
        request = request.Normalized;
        total ??= await query.CountAsync(cancellationToken);
        var last = Math.Max(1, (total.Value + request.Size - 1) / request.Size);
        if (request.Number > last)
            request = request with { Number = last };
        var rows = await Apply(query, request).Skip((request.Number - 1) * request.Size).Take(request.Size).ToListAsync(cancellationToken);
        // A count shared from a moment ago never claims fewer rows than the page shows.
        return new PageOf<T>(rows, Math.Max(total.Value, (request.Number - 1) * request.Size + rows.Count), request);
    }
}
