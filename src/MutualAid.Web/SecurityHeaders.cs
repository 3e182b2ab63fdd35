namespace MutualAid.Web;

/// <summary>
/// The headers every response carries (pages, API, static files, errors, redirects): no inline
/// script or style, never framed, never sniffed, no referrer. Set when the response starts, so
/// an error page or a status code page written later in the pipeline carries them too.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Forms post only to this site: a payment gateway's cashier is reached by a redirect from a
    /// form post, so a real gateway on another origin must be added to <c>form-action</c>.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>A claim's document opened in the browser: an image or a PDF, nothing it could run or load.</summary>
    public const string DocumentPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'";

    /// <summary>Sets the headers; a response that set its own (narrower) policy keeps it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
