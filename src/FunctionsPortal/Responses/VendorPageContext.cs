using FunctionsPortal.Checklists;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Responses;

/// <summary>
/// Per-request presentation state every vendor page shares: the language (Japanese unless the vendor switched), the
/// antiforgery field for forms, messages carried over a redirect, and who to contact.
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

    public string DateText(DateOnly date) => English
        ? date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)
        : date.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture);

    public string TimeText(DateTimeOffset at)
    {
        var japan = at.ToOffset(TimeSpan.FromHours(9));
        return English
            ? japan.ToString("d MMMM yyyy HH:mm 'JST'", System.Globalization.CultureInfo.InvariantCulture)
            : japan.ToString("yyyy年M月d日 HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / 1024d / 1024d:0.0} MB",
        >= 1024 => $"{bytes / 1024d:0} KB",
        _ => $"{bytes} B",
    };
}
