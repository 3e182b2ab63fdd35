using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MutualAid.Access;
using MutualAid.Data;
using MutualAid.Organisation;

namespace MutualAid.Web;

/// <summary>
/// Each request's database context works in the signed-in user's region (<see cref="RegionDirectory"/>):
/// at sign-in the login's region is found in the directory and kept as a claim of the signed
/// cookie or token; every later request points its context at that region's schema before the
/// context first opens its connection. Without a directory nothing changes.
/// </summary>
internal static class RegionSignIn
{
    public const string ClaimType = "mutualaid:region";

    /// <summary>Before a password is checked: the context on the login's region.</summary>
    public static async Task UseLoginAsync(HttpContext http, string userName)
    {
        var database = http.RequestServices.GetRequiredService<Database>();
        RegionDirectory.Use(http.RequestServices.GetRequiredService<MutualAidDbContext>(), database,
            await new RegionDirectory(database).SchemaOfLoginAsync(userName, http.RequestAborted));
    }

    /// <summary>The context on the region a signed-in principal carries; the default one when it carries none.</summary>
    public static void Follow(HttpContext http, ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
            return;
        RegionDirectory.Use(http.RequestServices.GetRequiredService<MutualAidDbContext>(), http.RequestServices.GetRequiredService<Database>(), principal.FindFirstValue(ClaimType));
    }

    /// <summary>The cookie's check of the security stamp reads the user in their own region.</summary>
    public static Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        Follow(context.HttpContext, context.Principal);
        return SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>After authentication: every request's context on the user's region, signed in by the cookie or by an API token.</summary>
    public static IApplicationBuilder UseRegions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var principal = context.User;
        // The API's endpoints authenticate their bearer token themselves; the result is kept for them.
        if (principal.Identity?.IsAuthenticated != true && context.Request.Headers.Authorization.Count > 0)
            principal = (await context.AuthenticateAsync(IdentityConstants.BearerScheme)).Principal;
        if (principal?.Identity?.IsAuthenticated == true)
            Follow(context, principal);
        else if (await context.RequestServices.GetRequiredService<RegionHosts>().SchemaOfAsync(context.Request.Host.Host, context.RequestAborted) is { } schema)
            RegionDirectory.Use(context.RequestServices.GetRequiredService<MutualAidDbContext>(), context.RequestServices.GetRequiredService<Database>(), schema);
        await next(context);
    });
}

/// <summary>
/// The region of a request nobody is signed in to, by the host name it came under (<c>mutualaid region
/// host</c>): the directory read at most once a minute, not on every anonymous request.
/// </summary>
internal sealed class RegionHosts(Database database, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private (IReadOnlyDictionary<string, string> Schemas, DateTimeOffset ReadAt)? _read;

    public async Task<string?> SchemaOfAsync(string host, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Postgres)
            return null;
        var read = _read;
        if (read is null || clock.GetUtcNow() - read.Value.ReadAt > MaxAge)
        {
            var offices = await new RegionDirectory(database).ListAsync(cancellationToken);
            read = (offices.Where(o => o is { Host: not null, Schema: not null }).ToDictionary(o => o.Host!, o => o.Schema!), clock.GetUtcNow());
            _read = read;
        }
        return read.Value.Schemas.GetValueOrDefault(host.TrimEnd('.').ToLowerInvariant());
    }
}

/// <summary>The signed-in principal names the region (schema) the user was found in.</summary>
internal sealed class RegionClaims(UserManager<User> users, RoleManager<IdentityRole<long>> roles, IOptions<IdentityOptions> options, MutualAidDbContext db)
    : UserClaimsPrincipalFactory<User, IdentityRole<long>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (RegionDirectory.SchemaOf(db) is { } schema)
            identity.AddClaim(new Claim(RegionSignIn.ClaimType, schema));
        return identity;
    }
}
