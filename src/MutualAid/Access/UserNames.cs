using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Access;

/// <summary>
/// The people behind the user names records keep: a page shows 复核员李强 where the claim keeps
/// <c>reviewer</c>. Records keep the user name because checks compare it (a second person must be
/// another account); a name with no account (支付网关, a CLI's --by) stays itself.
/// </summary>
public sealed class UserNames
{
    private readonly Dictionary<string, string> _names;

    private UserNames(Dictionary<string, string> names) => _names = names;

    /// <summary>Reads the display names of just these user names (a city has many member accounts).</summary>
    public static async Task<UserNames> LoadAsync(MutualAidDbContext db, IEnumerable<string?> userNames, CancellationToken cancellationToken)
    {
        var wanted = userNames.OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var names = wanted.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => wanted.Contains(u.UserName!))
            .Select(u => new { u.UserName, u.DisplayName }).ToListAsync(cancellationToken);
        return new(names.Where(n => !string.IsNullOrWhiteSpace(n.DisplayName))
            .ToDictionary(n => n.UserName!, n => n.DisplayName, StringComparer.Ordinal));
    }

    public string Of(string? userName) =>
        userName is null ? "" : userName == Claims.Claim.System ? "系统" : _names.GetValueOrDefault(userName, userName);
}
