namespace FunctionsPortal.Hosting;

/// <summary>
/// Every server-rendered page (vendor and staff): never cached (vendor links are bearer secrets, staff pages hold every
/// vendor's answers), never framed, no referrer, nothing but our own script and styles.
/// </summary>
public static class PageSecurityHeaders
{
    public static void Apply(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        // "no-cache, no-store" is also what antiforgery sets; saying it first keeps it from warning on every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
