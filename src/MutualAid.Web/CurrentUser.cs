using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>The signed-in user's scope, read once per request.</summary>
public sealed class CurrentUser(IHttpContextAccessor http, MutualAidDbContext db, UserManager<User> users)
{
    private UserScope? _scope;

    public async Task<UserScope> ScopeAsync()
    {
        if (_scope is not null)
            return _scope;
        var principal = http.HttpContext?.User ?? throw new InvalidOperationException("no request");
        var id = long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
        var roles = await users.GetRolesAsync(user);
        return _scope = new UserScope(user.Id, user.UserName ?? "", user.DisplayName, roles.ToHashSet(), user.DistrictId, user.UnitId, user.MemberId);
    }
}
