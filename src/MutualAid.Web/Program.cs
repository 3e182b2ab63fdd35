using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Web;
using MutualAid.Web.Components;

var builder = WebApplication.CreateBuilder(args);
// Run as a Windows service or a systemd unit when started as one (README, "Running it for an office").
builder.Host.UseWindowsService().UseSystemd();
// Documents:Folder: where uploaded documents are kept (docs/operations.md); else MUTUALAID_DOCUMENTS, else beside the database.
var database = Database.Resolve(builder.Configuration[Database.EnvironmentVariable], builder.Configuration["Documents:Folder"]);
builder.Services.AddSingleton(database);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddDbContext<MutualAidDbContext>(database.Configure);
builder.Services.AddIdentity<User, IdentityRole<long>>(UserAdmin.Configure)
    .AddEntityFrameworkStores<MutualAidDbContext>()
    .AddClaimsPrincipalFactory<RegionClaims>()
    .AddErrorDescriber<ChineseIdentityErrors>();
builder.Services.AddAuthentication().AddBearerToken(IdentityConstants.BearerScheme);
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealth>("database");
// Several instances behind one proxy share the keys that sign the sign-in cookie (docs/operations.md).
if (builder.Configuration["DataProtection:Keys"] is { Length: > 0 } keys)
    builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys)).SetApplicationName("MutualAid");
// Behind a reverse proxy the request's scheme and client address come from X-Forwarded-Proto/-For,
// trusted from the proxies Web:KnownProxies names (comma-separated addresses; loopback by default).
builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
    foreach (var proxy in (builder.Configuration["Web:KnownProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
});
// Web:Https=true (HTTPS configured, directly or at the proxy): the sign-in cookie is sent only over
// HTTPS. Otherwise it follows the request's scheme, so an office's LAN address over plain HTTP signs in.
var httpsOnly = builder.Configuration.GetValue("Web:Https", false);
builder.Services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.AccessDeniedPath = "/account/denied";
    options.Cookie.Name = "mutualaid";
    options.Cookie.HttpOnly = true;
    options.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
    options.Cookie.SameSite = SameSiteMode.Lax;
    // The API answers with its status and a message, never with the sign-in page (a request the
    // API refuses before any endpoint, such as a token request that is not JSON, lands here).
    options.Events.OnRedirectToLogin = context => StatusMessages.ApiOrRedirectAsync(context, StatusCodes.Status401Unauthorized);
    options.Events.OnRedirectToAccessDenied = context => StatusMessages.ApiOrRedirectAsync(context, StatusCodes.Status403Forbidden);
    options.Events.OnValidatePrincipal = RegionSignIn.ValidatePrincipalAsync;
});
// A disabled account's open sessions end within a minute (disabling changes its security stamp).
builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));
builder.Services.AddAuthorization(options => options.FallbackPolicy = options.DefaultPolicy);
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddRazorComponents();
builder.Services.AddSingleton<MutualAid.Web.SharedFigures>();
builder.Services.AddSingleton<MutualAid.Web.RegionHosts>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<CurrentUser>();
builder.Services.AddScoped<Audit>();
ReadDb.Add(builder.Services, builder.Configuration);
builder.Services.AddScoped<UserAdmin>();
builder.Services.AddScoped<MutualAid.Members.SelfRegistration>();
builder.Services.AddScoped<MutualAid.Members.RequestCode>();
builder.Services.AddScoped<MutualAid.Members.ResetPassword>();
// Codes for registration and password reset: shown on the page with the demo, otherwise Sms:Sender (console or file:PATH) until a gateway is connected.
if (builder.Configuration.GetValue("Sms:Sender", Startup.DemoWanted(builder.Configuration, database) ? "page" : "console") is "page")
    builder.Services.AddScoped<ShownSms>().AddScoped<MutualAid.Notifications.ISmsSender>(services => services.GetRequiredService<ShownSms>());
else
    builder.Services.AddSingleton(MutualAid.Notifications.SmsSenders.Parse(builder.Configuration["Sms:Sender"] ?? "console", "Sms:Sender"));
// The payment gateway's stub takes no money: it runs only with the demo, or where configured (Payments:Gateway=stub).
if (builder.Configuration.GetValue("Payments:Gateway", Startup.DemoWanted(builder.Configuration, database) ? "stub" : "") == "stub")
    builder.Services.AddSingleton(PaymentNotifications.Gateway(builder.Configuration));

// The fund's account printed on payment notices (Fund:Issuer, Fund:Payee, Fund:BankName, Fund:Account); the demo has a made-up one.
builder.Services.AddSingleton(FundSettings.Read(builder.Configuration, Startup.DemoWanted(builder.Configuration, database)));

var app = builder.Build();
await Startup.PrepareAsync(app.Services, app.Logger);
app.UseForwardedHeaders();
if (httpsOnly)
    app.UseHsts();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusMessages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseRegions();
app.UseAuthorization();
app.UseAntiforgery();
app.MapRazorComponents<App>();
app.MapOpenApi().AllowAnonymous();
// For a proxy or an orchestrator: 200 "Healthy" when the database answers and its schema is current, 503 otherwise.
app.MapHealthChecks("/health").AllowAnonymous();
app.MapErrorPage();
app.MapGet("/unit/template", () => Results.File(MutualAid.Importing.Templates.Xlsx("roster"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "花名册模板.xlsx")).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.UnitOfficer},{Roles.Clerk},{Roles.Admin}" });
var reportRoles = new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Finance}" };
app.MapGet("/reports/income.xlsx", async (string? year, ReadDb read, TimeProvider clock) => Input.Year(year, clock.Today().Year).Year is var y ? Excel($"收支情况{y}.xlsx",
    await new MutualAid.Reports.FundReports(read.Context).IncomeExpenditureAsync(y, default),
    MutualAid.Reports.ReportColumns.Income) : Results.NotFound())
    .RequireAuthorization(reportRoles);
app.MapGet("/reports/loss-ratio.xlsx", async (string? year, ReadDb read, TimeProvider clock) => Input.Year(year, clock.Today().Year).Year is var y ? Excel($"赔付率{y}.xlsx",
    await new MutualAid.Reports.FundReports(read.Context).LossRatiosAsync(y, default),
    MutualAid.Reports.ReportColumns.LossRatio) : Results.NotFound())
    .RequireAuthorization(reportRoles);
// 测算 as a workbook: the page posts the draft it tried (the uploaded file is not kept) and the year.
app.MapPost("/reports/whatif.xlsx", async (HttpContext http, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CurrentUser current, Audit audit, MutualAidDbContext db,
    TimeProvider clock) =>
{
    if (!await antiforgery.IsRequestValidAsync(http))
        return Results.Problem("导出请求已失效（缺少或不符的防伪令牌），请刷新页面后重试", statusCode: StatusCodes.Status400BadRequest);
    if (MutualAid.Replay.WhatIf.Refusal(await current.ScopeAsync()) is { } refusal)
        return Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden);
    var form = await http.Request.ReadFormAsync();
    try
    {
        var year = int.TryParse(form["year"], out var y) ? y : 0;
        var whatIf = new MutualAid.Replay.WhatIf(db);
        var report = await whatIf.RunAsync(form["draft"].ToString(), year, default);
        using var buffer = new MemoryStream();
        await whatIf.ExportAsync(report, buffer, await audit.ActorAsync(), clock.Now(), default);
        return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"方案测算{year}.xlsx");
    }
    catch (MutualAid.Benefits.InvalidInputException e)
    {
        return Results.Problem(string.Join("；", e.Problems), statusCode: StatusCodes.Status400BadRequest);
    }
}).RequireAuthorization(reportRoles);
// Only read (and leave their audit line): the batch was sent to the bank by the page's form. The CSV is the bank's; the .xlsx the same lines for people.
app.MapGet("/payments/{code}/file", (string code, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
    BankFileAsync(audit, (desk, actor) => desk.FileAsync(code, actor, default), db, clock))
    .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Finance });
app.MapGet("/payments/{code}/file.xlsx", (string code, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
    BankFileAsync(audit, (desk, actor) => desk.ExcelFileAsync(code, actor, default), db, clock))
    .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Finance });
app.MapGet("/claims/{number}/documents/{id:long}", async (string number, long id, HttpContext http, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
{
    MutualAid.Claims.OpenedDocument? document;
    try
    {
        document = await new MutualAid.Claims.OpenClaimDocument(db, clock).HandleAsync(await current.ScopeAsync(), number, id, await audit.ActorAsync(), default);
    }
    catch (MutualAid.Benefits.InvalidInputException e)
    {
        // The file is missing from the document store or differs from its hash: said, not a server error.
        return Results.Problem(string.Join("；", e.Problems), statusCode: StatusCodes.Status409Conflict);
    }
    if (document is null)
        return Results.NotFound();
    // Shown in the browser (an image or a PDF, its type checked by its bytes on upload), never kept in a cache.
    var headers = http.Response.Headers;
    var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
    disposition.SetHttpFileName(document.FileName);
    headers.ContentDisposition = disposition.ToString();
    headers.CacheControl = "no-store";
    headers.ContentSecurityPolicy = SecurityHeaders.DocumentPolicy;
    return Results.File(document.Content, document.ContentType);
}).RequireAuthorization();
Api.Map(app);
PartnerApi.Map(app);
ListExports.Map(app);
PaymentNotifications.Map(app);
app.MapPost("/account/logout", async (HttpContext context, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, SignInManager<User> signIn) =>
{
    if (!await antiforgery.IsRequestValidAsync(context))
        return Results.Problem("退出请求已失效（缺少或不符的防伪令牌），请刷新页面后再点“退出”", statusCode: StatusCodes.Status400BadRequest);
    await signIn.SignOutAsync();
    return Results.Redirect("/account/login");
});
await app.RunAsync();

/// <summary>A batch's bank file as a download, or the reason it cannot be had.</summary>
static async Task<IResult> BankFileAsync(Audit audit, Func<MutualAid.Payments.PaymentDesk, MutualAid.Auditing.Actor, Task<MutualAid.Payments.BankFile>> get, MutualAidDbContext db, TimeProvider clock)
{
    try
    {
        var file = await get(new MutualAid.Payments.PaymentDesk(db, clock), await audit.ActorAsync());
        return Results.File(file.Content, file.ContentType, file.Name);
    }
    catch (MutualAid.Benefits.InvalidInputException e)
    {
        return Results.Problem(string.Join("；", e.Problems.Select(p => p.Message)), statusCode: StatusCodes.Status400BadRequest);
    }
}

/// <summary>A report as an Excel download.</summary>
static IResult Excel<T>(string name, IEnumerable<T> rows, IReadOnlyList<MutualAid.Reports.ExcelColumn<T>> columns) =>
    Xlsx(name, path => MutualAid.Reports.ExcelExport.Write(path, rows, columns));

/// <summary>An Excel file written to a temporary path, sent, and deleted.</summary>
static IResult Xlsx(string name, Action<string> write)
{
    var path = Path.Combine(Path.GetTempPath(), $"mutualaid-{Guid.NewGuid():N}.xlsx");
    try
    {
        write(path);
        return Results.File(File.ReadAllBytes(path), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }
    finally
    {
        File.Delete(path);
    }
}

/// <summary>For the tests' WebApplicationFactory.</summary>
public partial class Program;
