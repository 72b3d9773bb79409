using System.Buffers.Text;
using System.Text.Json;
using FunctionsPortal.Responses;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// Messages that must survive Post/Redirect/Get ("saved", "this file was refused"): a short-lived cookie read and
/// cleared by the next page. At most a handful, so the cookie stays far below browser limits.
/// </summary>
internal static class Flash
{
    private const string CookieName = "portal-flash";
    private const int MaxNotices = 8;

    public static void Write(HttpContext context, IEnumerable<Notice> notices)
    {
        var list = notices.Take(MaxNotices).Select(notice => notice with { Ja = Trim(notice.Ja), En = Trim(notice.En) }).ToList();
        if (list.Count == 0)
        {
            return;
        }

        context.Response.Cookies.Append(CookieName, Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(list)), Options(context));
    }

    public static IReadOnlyList<Notice> Read(HttpContext context)
    {
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

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/v/",
        MaxAge = TimeSpan.FromMinutes(5),
    };
}
