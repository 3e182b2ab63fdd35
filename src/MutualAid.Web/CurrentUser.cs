using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>
/// The signed-in user's scope, read once per request on the request's context (in its region). The
/// layout finishes reading it before the page starts (<see cref="Components.PageBase"/>), so it never
/// runs beside the page's own queries.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http, MutualAidDbContext db)
{
    private Task<UserScope>? _scope;

    public Task<UserScope> ScopeAsync() => _scope ??= ReadAsync();

    private async Task<UserScope> ReadAsync()
    {
        var principal = http.HttpContext?.User ?? throw new InvalidOperationException("no request");
        var id = long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        return await UserScope.OfAsync(db, id, default);
    }
}
