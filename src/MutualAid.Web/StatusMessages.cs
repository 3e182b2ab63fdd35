namespace MutualAid.Web;

/// <summary>
/// A message for a refusal the framework sends without one (a body that cannot be read, a wrong
/// content type, an unknown address): problem JSON under <c>/api</c>, plain text elsewhere.
/// </summary>
internal static class StatusMessages
{
    public static string For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "请求无法读取：内容为空、格式不对、字段类型不符或数值超出范围",
        StatusCodes.Status401Unauthorized => "需要先登录（API 需要 Bearer 访问令牌）",
        StatusCodes.Status403Forbidden => "无权访问",
        StatusCodes.Status404NotFound => "没有这个地址",
        StatusCodes.Status405MethodNotAllowed => "这个地址不接受该请求方法",
        StatusCodes.Status413PayloadTooLarge => "请求内容过大",
        StatusCodes.Status415UnsupportedMediaType => "内容类型不对：API 只收 application/json",
        _ => $"请求未被接受（HTTP {status}）",
    };

    /// <summary>
    /// What a request that failed inside gets (outside development): a message in Chinese with the
    /// trace id the log holds, problem JSON under <c>/api</c>; never a blank 500.
    /// </summary>
    public static void MapErrorPage(this IEndpointRouteBuilder app) =>
        app.Map("/error", (HttpContext http) =>
        {
            var message = $"系统出错，这次操作没有完成，已记入日志（编号 {http.TraceIdentifier}）。请稍后再试；仍不行请联系系统管理员。";
            var failed = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path ?? "";
            return failed.StartsWith("/api", StringComparison.Ordinal)
                ? Results.Problem(message, statusCode: StatusCodes.Status500InternalServerError)
                : Results.Text(message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError);
        }).AllowAnonymous().DisableAntiforgery();

    /// <summary>The sign-in cookie's redirect, except under <c>/api</c>, where it is the status with its message.</summary>
    public static Task ApiOrRedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        // Routing's own refusals (a body that is not JSON, a method the address does not take) are
        // endpoints named by their status ("415 HTTP Unsupported Media Type"): answer with that status.
        var name = context.HttpContext.GetEndpoint()?.DisplayName ?? "";
        if (name.Length > 4 && name[3] == ' ' && name.Contains(" HTTP ", StringComparison.Ordinal) && int.TryParse(name[..3], out var refused))
            status = refused;
        return Results.Problem(For(status), statusCode: status).ExecuteAsync(context.HttpContext);
    }

    public static IApplicationBuilder UseStatusMessages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            if (http.Request.Path.StartsWithSegments("/api"))
                await Results.Problem(For(status), statusCode: status).ExecuteAsync(http);
            else
                await Results.Text(For(status), "text/plain; charset=utf-8", statusCode: status).ExecuteAsync(http);
        });
}
