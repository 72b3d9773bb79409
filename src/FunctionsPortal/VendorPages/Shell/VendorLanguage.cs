namespace FunctionsPortal.VendorPages.Shell;

/// <summary>Japanese first; a vendor's switch to English is remembered in a cookie for every link it opens.</summary>
internal static class VendorLanguage
{
    private const string CookieName = "portal-lang";

    public static bool PrefersEnglish(HttpContext context) => context.Request.Cookies.TryGetValue(CookieName, out var value) && value == "en";

    /// <summary>GET /v/{token}/lang/{language}?back=…: opens no session, so a wrong token costs nothing.</summary>
    public static IResult Switch(string token, string language, HttpContext context, string? back = null)
    {
        context.Response.Cookies.Append(CookieName, language == "en" ? "en" : "ja", new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        // Only back to this link's own pages: the parameter must never become an open redirect.
        var home = $"/v/{token}";
        return TypedResults.Redirect(back is not null && (back == home || back.StartsWith(home + "/", StringComparison.Ordinal)) && !back.Contains("//", StringComparison.Ordinal) ? back : home);
    }
}
