using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>
/// The signed-in user's scope, read once per request, on a context of its own in the request's
/// region: the layout and the page ask for it while the page's own queries run on the request's
/// context (a real asynchronous database, PostgreSQL, refuses two queries at once on one context).
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, MutualAidDbContext db)
{
    private Task<UserScope>? _scope;

    public Task<UserScope> ScopeAsync() => _scope ??= ReadAsync();

    private async Task<UserScope> ReadAsync()
    {
        var principal = http.HttpContext?.User ?? throw new InvalidOperationException("no request");
        var id = long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await using var own = Database.Parse(db.Database.GetConnectionString()).CreateContext();
        return await UserScope.OfAsync(own, id, default);
    }
}
