namespace FunctionsPortal.VendorPages.Shell;

/// <summary>Links are bearer secrets and these pages hold a vendor's answers: never cached, never framed, no referrer.</summary>
internal static class SecurityHeaders
{
    public static void Apply(IHeaderDictionary headers)
    {
        // "no-cache, no-store" is also what antiforgery sets; saying it first keeps it from warning on every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }
}
