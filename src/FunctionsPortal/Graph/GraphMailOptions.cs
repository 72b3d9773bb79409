using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// How mail goes out through Microsoft Graph (section <c>GraphMail</c>). The sender mailboxes are
/// <see cref="GraphOptions.Mailboxes"/>; the defaults are Outlook's and Exchange Online's own limits, which hold for each
/// mailbox across every instance of the app (<see cref="MailboxLimiter"/>).
/// </summary>
public sealed class GraphMailOptions : IValidatableObject
{
    public const string SectionName = "GraphMail";

    /// <summary>Graph's v1.0 root. Tests point it at a loopback fake (<c>http://127.0.0.1:port/v1.0</c>).</summary>
    [Required(ErrorMessage = "GraphMail:BaseUrl must be set.")]
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Graph calls in flight at once per mailbox, across all instances: Outlook allows 4 concurrent requests per app and mailbox.</summary>
    [SettingRange(1, 4, ErrorMessage = "GraphMail:MaxConcurrentRequests must be 1-4 (Outlook allows 4 concurrent requests per app and mailbox).")]
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>
    /// Messages sent per minute per mailbox, across all instances: Exchange Online allows 30. 0 means no mailbox-wide
    /// limits at all (no rate, no daily cap, concurrency per instance only): for tests and benchmarks against a fake.
    /// </summary>
    [SettingRange(0, 10_000, ErrorMessage = "GraphMail:MessagesPerMinute must be 0 (unlimited) to 10000; Exchange Online allows 30 per mailbox.")]
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>
    /// Recipients per mailbox in any 24 hours, across all instances: Exchange Online allows 10,000. A mail that would
    /// go over waits until the oldest recipients of the window fall out of it (in practice: the next day).
    /// </summary>
    [SettingRange(1, 10_000, ErrorMessage = "GraphMail:RecipientsPerDay must be 1-10000; Exchange Online allows 10,000 recipients a day per mailbox.")]
    public int RecipientsPerDay { get; set; } = 10_000;

    /// <summary>How long one Graph call may take before its outcome counts as unknown (retry later).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "GraphMail:RequestTimeout must be more than 0 and at most 10 minutes.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Bearer tokens never travel in clear text, except to this machine (the fake Graph in tests).
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            yield return new ValidationResult(
                "GraphMail:BaseUrl must be an absolute https URL (http only for a loopback address).",
                [nameof(BaseUrl)]);
        }
    }
}

/// <summary>Checks <see cref="GraphMailOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateGraphMailOptions : IValidateOptions<GraphMailOptions>;
