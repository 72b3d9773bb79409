using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>
/// What every staff page shares per request: the language (Japanese unless switched), the antiforgery field, who is
/// signed in and with which role, and how they sign out. Bound as a handler parameter (<see cref="BindAsync"/>).
/// </summary>
public sealed record StaffPageContext(
    bool English,
    string AntiforgeryField,
    string AntiforgeryToken,
    string UserName,
    bool IsAdmin,
    string? SignOutUrl,
    IReadOnlyList<Notice> Notices,
    SurveyOptions Options,
    string CurrentPath)
{
    public string T(string ja, string en) => English ? en : ja;

    public string T(Localized text) => English ? text.En : text.Ja;

    public string Lang => English ? "en" : "ja";

    public string ToggleUrl => $"/staff/lang/{(English ? "ja" : "en")}?back={Uri.EscapeDataString(CurrentPath)}";

    public string RoleName => IsAdmin ? T("管理者", "Administrator") : T("レビュー担当", "Reviewer");

    public string DateText(DateOnly date) => PageText.Date(date, English);

    public string TimeText(DateTimeOffset at) => PageText.Time(at, English);

    public static ValueTask<StaffPageContext?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<StaffPageContext?>(For(context));
    }

    public static StaffPageContext For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var user = context.User;
        var signedIn = user.Identity?.IsAuthenticated == true;
        return new StaffPageContext(
            PageLanguage.PrefersEnglish(context),
            tokens.FormFieldName,
            tokens.RequestToken ?? "",
            signedIn ? StaffRoles.NameOf(user) : "",
            user.IsInRole(StaffRoles.Admin),
            signedIn ? StaffSignIn.SignOutUrl(context) : null,
            Flash.Read(context),
            services.GetRequiredService<IOptions<SurveyOptions>>().Value,
            context.Request.Path + context.Request.QueryString);
    }
}
