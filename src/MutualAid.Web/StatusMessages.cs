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
