using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace FunctionsPortal.Hosting;

/// <summary>
/// HTML encoding for every value we write into a page or a mail: markup characters are escaped (so anything a
/// vendor or staff member typed stays inert) while Japanese stays readable text rather than numeric entities.
/// </summary>
public static class PortalHtml
{
    public static HtmlEncoder Encoder { get; } = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? value) => Encoder.Encode(value ?? "");
}
