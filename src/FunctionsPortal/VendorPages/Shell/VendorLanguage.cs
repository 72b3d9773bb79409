using FunctionsPortal.Hosting;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>The vendor pages' language switch (the choice itself is <see cref="PageLanguage"/>'s cookie).</summary>
internal static class VendorLanguage
{
    /// <summary>GET /v/{token}/lang/{language}?back=…: opens no session, so a wrong token costs nothing.</summary>
    public static IResult Switch(string token, string language, HttpContext context, string? back = null)
    {
        PageLanguage.Remember(context, language);
        // Only back to this link's own pages: the parameter must never become an open redirect.
        return TypedResults.Redirect(PageLanguage.SafeReturn(back, $"/v/{token}"));
    }
}
