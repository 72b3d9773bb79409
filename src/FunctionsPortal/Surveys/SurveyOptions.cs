using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>How surveys are sent and chased (section <c>Surveys</c>).</summary>
public sealed class SurveyOptions : IValidatableObject
{
    public const string SectionName = "Surveys";

    /// <summary>The public address vendors open links on (https in Azure), e.g. https://func-xyz.azurewebsites.net.</summary>
    [Required]
    public Uri PortalBaseUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>NCRONTAB (UTC) of the PlanSurveys timer (hourly: planning is idempotent); the Functions host reads it from function.json, so it must be an app setting in Azure.</summary>
    [Required]
    public string PlanningSchedule { get; set; } = "0 5 * * * *";

    /// <summary>NCRONTAB (UTC) of the SendReminders timer (09:30 in Japan by default).</summary>
    [Required]
    public string ReminderSchedule { get; set; } = "0 30 0 * * *";

    /// <summary>Days between sending and the due date when a plan or campaign gives none.</summary>
    [SettingRange(1, 365)]
    public int DefaultDueDays { get; set; } = 30;

    /// <summary>A link keeps working this many days after the due date, so a late vendor can still answer.</summary>
    [SettingRange(0, 365)]
    public int LinkGraceDays { get; set; } = 14;

    /// <summary>Reminders go out this many days before the due date (each once).</summary>
    public List<int> ReminderDaysBeforeDue { get; set; } = [14, 7, 1];

    /// <summary>
    /// How long an assignment may stay scheduled with no invitation in the outbox before the reconciler (run by the
    /// MailOutboxSweep timer) takes its queue message for lost and queues it again.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ErrorMessage = "Surveys:InvitationGracePeriod must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan InvitationGracePeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The month a vendor's yearly cycle starts when its contract has no start date (April: the Japanese fiscal year).</summary>
    [SettingRange(1, 12)]
    public int DefaultAnniversaryMonth { get; set; } = 4;

    /// <summary>
    /// False (default): a declared subcontractor gets its handling-method request at once, so the approval decision sees the
    /// document; true: only after our prior approval. Prior approval is asked for either way.
    /// </summary>
    public bool SubcontractorRequestNeedsApproval { get; set; }

    /// <summary>
    /// The certificate survey the planner sends on its own when a vendor's contract ends (end date passed, in Japan, or
    /// status terminating): データ返却通知書 兼 データ消去完了証明書, in its latest version.
    /// </summary>
    [Required]
    public string TerminationChecklist { get; set; } = "termination-certificate";

    /// <summary>Who is asking (mail and landing page), Japanese and English.</summary>
    [Required]
    public string OrganisationJa { get; set; } = "当社";

    [Required]
    public string OrganisationEn { get; set; } = "Our company";

    /// <summary>Where vendors write with questions.</summary>
    [Required]
    [EmailAddress]
    public string ContactEmail { get; set; } = "privacy@our-company.example.jp";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReminderDaysBeforeDue.Any(days => days is < 1 or > 180))
        {
            yield return new ValidationResult("Surveys:ReminderDaysBeforeDue takes days between 1 and 180.");
        }

        if (Checklists.DefaultChecklists.KindOf(TerminationChecklist) is { } kind && kind != SurveyKinds.Termination)
        {
            yield return new ValidationResult($"Surveys:TerminationChecklist is '{TerminationChecklist}', a checklist of kind '{kind}'; it takes a termination checklist (termination-certificate).");
        }

        if (!PortalBaseUrl.IsAbsoluteUri)
        {
            yield return new ValidationResult("Surveys:PortalBaseUrl must be an absolute URL.");
        }
    }
}

/// <summary>Checks <see cref="SurveyOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateSurveyOptions : IValidateOptions<SurveyOptions>;
