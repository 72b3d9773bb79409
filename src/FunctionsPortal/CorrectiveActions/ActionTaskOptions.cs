using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>How the corrective-action task outbox drives the board (section <c>ActionTasks</c>).</summary>
public sealed class ActionTaskOptions
{
    public const string SectionName = "ActionTasks";

    /// <summary>
    /// How long a worker owns an outbox row while it talks to the board; longer than any single call (GraphPlanner's
    /// request timeout). A worker that dies mid-call blocks its row this long, then another takes over.
    /// </summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "ActionTasks:Lease must be 1 second to 1 hour.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First wait after a failure without Retry-After; it doubles with each further failure in a row, up to 15 minutes.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.001", "00:15:00", ErrorMessage = "ActionTasks:RetryBaseDelay must be more than 0 and at most 15 minutes.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="ActionTaskOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateActionTaskOptions : IValidateOptions<ActionTaskOptions>;
