using System.Buffers.Text;
using System.Text.Json;

namespace FunctionsPortal.Hosting;

/// <summary>
/// Messages that must survive Post/Redirect/Get ("saved", "this file was refused"): a short-lived cookie read and
/// cleared by the next page. At most a handful, so the cookie stays far below browser limits.
/// </summary>
public static class Flash
{
    private const string CookieName = "portal-flash";
    private const int MaxNotices = 8;

    /// <summary>Keeps the notices for the next page of the same area (the cookie's path is the area's, e.g. <c>/v/</c> or <c>/staff/</c>).</summary>
    public static void Write(HttpContext context, IEnumerable<Notice> notices)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(notices);
        var list = notices.Take(MaxNotices).Select(notice => notice with { Ja = Trim(notice.Ja), En = Trim(notice.En) }).ToList();
        if (list.Count == 0)
        {
            return;
        }

        context.Response.Cookies.Append(CookieName, Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(list)), Options(context));
    }

    public static IReadOnlyList<Notice> Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return [];
        }

        context.Response.Cookies.Delete(CookieName, Options(context));
        try
        {
            return JsonSerializer.Deserialize<List<Notice>>(Base64Url.DecodeFromChars(value)) ?? [];
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            // A cookie we did not write (or a truncated one) carries no message worth an error page.
            return [];
        }
    }

    /// <summary>"/staff" (the dashboard is /staff itself) or "/v/": a message never shows on the other area's pages.</summary>
    private static string AreaOf(PathString path) =>
        path.StartsWithSegments("/staff", StringComparison.Ordinal) ? "/staff" : "/v/";

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = AreaOf(context.Request.Path),
        MaxAge = TimeSpan.FromMinutes(5),
    };
}
