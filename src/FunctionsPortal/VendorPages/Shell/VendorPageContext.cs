using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.VendorPages.Shell;

/// <summary>
/// Per-request presentation state every vendor page shares: the language (Japanese unless the vendor switched), the
/// antiforgery field for forms, messages carried over a redirect, and who to contact. Page handlers take it as a
/// parameter (bound by <see cref="BindAsync"/>); POST handlers do not, so they never consume a flash message.
/// </summary>
public sealed record VendorPageContext(
    bool English,
    string AntiforgeryField,
    string AntiforgeryToken,
    IReadOnlyList<Notice> Notices,
    SurveyOptions Options,
    string CurrentPath,
    string? Token)
{
    /// <summary>Picks the vendor's language; every text on these pages exists in both.</summary>
    public string T(string ja, string en) => English ? en : ja;

    public string T(Localized text) => English ? text.En : text.Ja;

    public string Lang => English ? "en" : "ja";

    public string ToggleUrl => Token is null
        ? CurrentPath
        : $"/v/{Token}/lang/{(English ? "ja" : "en")}?back={Uri.EscapeDataString(CurrentPath)}";

    public string DateText(DateOnly date) => PageText.Date(date, English);

    public string TimeText(DateTimeOffset at) => PageText.Time(at, English);

    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / 1024d / 1024d:0.0} MB",
        >= 1024 => $"{bytes / 1024d:0} KB",
        _ => $"{bytes} B",
    };

    /// <summary>A page handler's context: the token comes from the route, never from anything else the browser sends.</summary>
    public static ValueTask<VendorPageContext?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<VendorPageContext?>(For(context, context.GetRouteValue("token") as string));
    }

    /// <summary>The context for any vendor page; <paramref name="token"/> is null where the page must not lead back into a link (one that does not open).</summary>
    public static VendorPageContext For(HttpContext context, string? token)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new VendorPageContext(
            PageLanguage.PrefersEnglish(context), tokens.FormFieldName, tokens.RequestToken ?? "", Flash.Read(context),
            context.RequestServices.GetRequiredService<IOptions<SurveyOptions>>().Value, context.Request.Path + context.Request.QueryString, token);
    }
}
