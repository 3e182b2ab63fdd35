using MutualAid.Auditing;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>
/// The signed-in user as the actor of a business event (the core's handler writes its audit line),
/// and audit lines for what is no business event of the core (views, user administration).
/// </summary>
public sealed class Audit(IHttpContextAccessor http, MutualAidDbContext db, CurrentUser current, TimeProvider clock)
{
    public async Task<Actor> ActorAsync(Origin origin = Origin.Web) =>
        new((await current.ScopeAsync()).UserName, origin, http.HttpContext?.Connection.RemoteIpAddress?.ToString());

    /// <summary>Someone not signed in (registering, resetting a password), by their address.</summary>
    public Actor Visitor() => new("访客", Origin.Web, http.HttpContext?.Connection.RemoteIpAddress?.ToString());

    public async Task RecordAsync(string action, string subject, string? detail = null, bool save = false)
    {
        db.Audit(await ActorAsync(), clock.Now(), action, subject, detail);
        if (save)
            await db.SaveChangesAsync();
    }
}
