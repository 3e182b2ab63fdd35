using Microsoft.AspNetCore.Identity;
using MutualAid.Access;
using MutualAid.Data;
using MutualAid.Web;
using MutualAid.Web.Components;

var builder = WebApplication.CreateBuilder(args);
var database = Database.Resolve(builder.Configuration[Database.EnvironmentVariable]);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDbContext<MutualAidDbContext>(database.Configure);
builder.Services.AddIdentity<User, IdentityRole<long>>(options =>
    {
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Password.RequiredLength = 8;
        options.Password.RequireNonAlphanumeric = false;
        options.User.RequireUniqueEmail = false;
    })
    .AddEntityFrameworkStores<MutualAidDbContext>();
builder.Services.AddAuthentication().AddBearerToken(IdentityConstants.BearerScheme);
builder.Services.AddOpenApi();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.AccessDeniedPath = "/account/denied";
    options.Cookie.Name = "mutualaid";
    options.Cookie.HttpOnly = true;
    options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
    options.Cookie.SameSite = SameSiteMode.Lax;
});
builder.Services.AddAuthorization(options => options.FallbackPolicy = options.DefaultPolicy);
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddRazorComponents();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<CurrentUser>();
builder.Services.AddScoped<Audit>();

var app = builder.Build();
await Startup.PrepareAsync(app.Services, app.Logger);
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapRazorComponents<App>();
app.MapOpenApi().AllowAnonymous();
app.MapGet("/unit/template", () =>
{
    var path = Path.Combine(Path.GetTempPath(), $"mutualaid-template-{Guid.NewGuid():N}.xlsx");
    MutualAid.Importing.Templates.Write("roster", path);
    var bytes = File.ReadAllBytes(path);
    File.Delete(path);
    return Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "花名册模板.xlsx");
}).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.UnitOfficer},{Roles.Clerk},{Roles.Admin}" });
app.MapGet("/payments/{code}/file", async (string code, MutualAidDbContext db, TimeProvider clock) =>
{
    // Written and recorded as sent, as `payments export` does; a second download is the same file.
    var folder = Directory.CreateTempSubdirectory("mutualaid-bank").FullName;
    try
    {
        var path = await new MutualAid.Payments.PaymentDesk(db, clock).ExportAsync(code, folder, default);
        return Results.File(await File.ReadAllBytesAsync(path), "text/csv", Path.GetFileName(path));
    }
    catch (MutualAid.Benefits.InvalidInputException e)
    {
        return Results.Problem(string.Join("；", e.Problems.Select(p => p.Message)), statusCode: StatusCodes.Status400BadRequest);
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Finance });
Api.Map(app);
app.MapPost("/account/logout", async (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, SignInManager<User> signIn) =>
{
    await antiforgery.ValidateRequestAsync(context);
    await signIn.SignOutAsync();
    return Results.Redirect("/account/login");
});
await app.RunAsync();

/// <summary>For the tests' WebApplicationFactory.</summary>
public partial class Program;
