namespace FunctionsPortal.Hosting;

/// <summary>Japanese first; a switch to English is remembered in one cookie for the vendor and the staff pages alike.</summary>
public static class PageLanguage
{
    private const string CookieName = "portal-lang";

    public static bool PrefersEnglish(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Cookies.TryGetValue(CookieName, out var value) && value == "en";
    }

    /// <summary>Remembers "en" or "ja" (anything else counts as Japanese) for a year.</summary>
    public static void Remember(HttpContext context, string language)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName, language == "en" ? "en" : "ja", new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
    }

    /// <summary>Where a language switch may send the browser back to: only under <paramref name="home"/>, never elsewhere (no open redirect).</summary>
    public static string SafeReturn(string? back, string home)
    {
        ArgumentNullException.ThrowIfNull(home);
        return back is not null && (back == home || back.StartsWith(home + "/", StringComparison.Ordinal) || back.StartsWith(home + "?", StringComparison.Ordinal))
            && !back.Contains("//", StringComparison.Ordinal) && !back.Contains('\\', StringComparison.Ordinal)
            ? back
            : home;
    }
}
