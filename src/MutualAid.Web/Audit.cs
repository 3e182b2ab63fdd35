using MutualAid.Auditing;
using MutualAid.Data;

namespace MutualAid.Web;

/// <summary>Adds audit lines for the signed-in user, from their address; saved with the change they go with.</summary>
public sealed class Audit(IHttpContextAccessor http, MutualAidDbContext db, CurrentUser current, TimeProvider clock)
{
    public async Task RecordAsync(string action, string subject, string? detail = null, bool save = false)
    {
        var scope = await current.ScopeAsync();
        db.AuditEntries.Add(new AuditEntry(clock.GetUtcNow().UtcDateTime, scope.UserName, action, subject, detail,
            http.HttpContext?.Connection.RemoteIpAddress?.ToString()));
        if (save)
            await db.SaveChangesAsync();
    }
}
