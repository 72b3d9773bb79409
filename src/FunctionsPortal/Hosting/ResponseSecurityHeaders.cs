namespace FunctionsPortal.Hosting;

/// <summary>
/// Headers every response carries, whatever answered it (pages, API, health, OpenAPI, errors): no content sniffing;
/// HTML that set no policy of its own is never framed; under the Functions host (always behind HTTPS) browsers are told
/// to keep to HTTPS. The pages' stricter set is <see cref="PageSecurityHeaders"/>.
/// </summary>
public static class ResponseSecurityHeaders
{
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static IApplicationBuilder UseResponseSecurityHeaders(this IApplicationBuilder app, bool underFunctionsHost)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context.Response, underFunctionsHost);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    public static void Apply(HttpResponse response, bool underFunctionsHost)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true && string.IsNullOrEmpty(headers.XFrameOptions))
        {
            headers.XFrameOptions = "DENY";
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            }
        }

        if (underFunctionsHost)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }
    }
}
