using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>When findings become corrective actions, how long each severity gets, who owns them, what the sync does (section <c>CorrectiveActions</c>).</summary>
public sealed class CorrectiveActionOptions : IValidatableObject
{
    public const string SectionName = "CorrectiveActions";

    public const string OnAccepted = "accepted";
    public const string OnSealed = "sealed";

    /// <summary>"accepted" (a reviewer accepts the submission; the default) or "sealed" (the vendor submits).</summary>
    public string RaiseOn { get; set; } = OnAccepted;

    [SettingRange(1, 366, ErrorMessage = "CorrectiveActions:CriticalDays must be 1-366.")]
    public int CriticalDays { get; set; } = 30;

    [SettingRange(1, 366, ErrorMessage = "CorrectiveActions:HighDays must be 1-366.")]
    public int HighDays { get; set; } = 60;

    [SettingRange(1, 366, ErrorMessage = "CorrectiveActions:MediumDays must be 1-366.")]
    public int MediumDays { get; set; } = 90;

    [SettingRange(1, 366, ErrorMessage = "CorrectiveActions:LowDays must be 1-366.")]
    public int LowDays { get; set; } = 120;

    /// <summary>Days before an action's due date the vendor is reminded (once).</summary>
    [SettingRange(1, 60, ErrorMessage = "CorrectiveActions:ReminderDaysBefore must be 1-60.")]
    public int ReminderDaysBefore { get; set; } = 7;

    /// <summary>A task completed on the board while the remediation is not verified is reopened (it is flagged either way).</summary>
    public bool ReopenClosedWithoutEvidence { get; set; } = true;

    /// <summary>How long staff accept a residual risk for when they do not say (then it comes back to the ledger).</summary>
    [SettingRange(1, 1096, ErrorMessage = "CorrectiveActions:RiskAcceptanceDays must be 1-1096.")]
    public int RiskAcceptanceDays { get; set; } = 365;

    public int DaysFor(string severity) => severity switch
    {
        "critical" => CriticalDays,
        "high" => HighDays,
        "medium" => MediumDays,
        _ => LowDays,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RaiseOn is not (OnAccepted or OnSealed))
        {
            yield return new ValidationResult("CorrectiveActions:RaiseOn must be 'accepted' or 'sealed'.", [nameof(RaiseOn)]);
        }
    }
}

/// <summary>Checks <see cref="CorrectiveActionOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateCorrectiveActionOptions : IValidateOptions<CorrectiveActionOptions>;
