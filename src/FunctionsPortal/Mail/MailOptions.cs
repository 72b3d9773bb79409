using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Mail;

public sealed class MailOptions
{
    public const string SectionName = "Mail";

    /// <summary>Where the local outbox writes .eml files (the start command uses .local/outbox in the clone).</summary>
    public string LocalOutboxDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "functionsportal-outbox");

    /// <summary>
    /// How long a worker owns an outbox row while it talks to the mail service; longer than any single call (Graph's
    /// request timeout). A worker that dies mid-call blocks its row this long, then another takes over.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First wait after a failure without Retry-After; it doubles with each further failure in a row, up to 15 minutes.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// NCRONTAB (UTC) of the MailOutboxSweep timer, which re-drives deferred or abandoned rows and re-queues lost
    /// invitations. An app setting (not a constant in function.json) because the Functions host reads
    /// <c>%Mail__SweepSchedule%</c> from app settings, and a test of the whole dispatch cannot wait two minutes per sweep.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Mail:SweepSchedule must be an NCRONTAB schedule (e.g. \"0 */2 * * * *\").")]
    public string SweepSchedule { get; set; } = "0 */2 * * * *";

    /// <summary>Shown as the sender of local-outbox mail.</summary>
    public string LocalSender { get; set; } = "portal@localhost";
}

/// <summary>Checks <see cref="MailOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateMailOptions : IValidateOptions<MailOptions>;
