using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// Microsoft Graph: the mailboxes invitations are sent from and the Planner plan/bucket corrective tasks go to.
/// Unset locally: mail then lands in the local outbox and tasks in the local task list.
/// </summary>
public sealed class GraphOptions : IValidatableObject
{
    public const string SectionName = "Graph";

    private static readonly char[] ListSeparators = [',', ';'];

    /// <summary>One sender mailbox: shorthand for a <see cref="SenderMailboxes"/> list of one (it comes first when both are set).</summary>
    [EmailAddress(ErrorMessage = "Graph:SenderMailbox must be a mailbox address (user@domain).")]
    public string? SenderMailbox { get; set; }

    /// <summary>
    /// The sender mailboxes a large campaign is spread over, each within its own Exchange limits. In configuration a
    /// list (<c>Graph:SenderMailboxes:0</c>, <c>:1</c> …) or one value separated by commas (what an app setting holds,
    /// see <see cref="AddSeparatedMailboxes"/>).
    /// </summary>
    public List<string> SenderMailboxes { get; set; } = [];

    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Graph:PlannerPlanId must be a Planner plan id.")]
    public string? PlannerPlanId { get; set; }

    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Graph:PlannerBucketId must be a Planner bucket id.")]
    public string? PlannerBucketId { get; set; }

    /// <summary>Every sender mailbox, <see cref="SenderMailbox"/> first, each once (addresses compare without case).</summary>
    public IReadOnlyList<string> Mailboxes =>
        new[] { SenderMailbox }.Concat(SenderMailboxes).Where(mailbox => !string.IsNullOrWhiteSpace(mailbox)).Select(mailbox => mailbox!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Whether configuration turns Graph mail on: a sender mailbox setting is present (it must then name at least one valid mailbox).</summary>
    public static bool IsMailConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var list = section.GetSection(nameof(SenderMailboxes));
        return !string.IsNullOrWhiteSpace(section[nameof(SenderMailbox)]) || list.Value is not null || list.GetChildren().Any();
    }

    /// <summary>
    /// Adds the mailboxes of a single comma-separated value (<c>Graph__SenderMailboxes=a@x,b@x</c>), which the
    /// configuration binder leaves out of a list. Empty entries are kept so that validation names them — except the
    /// empty value some configuration sources report for a key that holds a list (<c>:0</c>, <c>:1</c> …).
    /// </summary>
    public void AddSeparatedMailboxes(IConfigurationSection setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (setting.Value is { } value && (value.Length > 0 || !setting.GetChildren().Any()))
        {
            SenderMailboxes.AddRange(value.Split(ListSeparators).Select(mailbox => mailbox.Trim()));
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var email = new EmailAddressAttribute();
        foreach (var mailbox in SenderMailboxes.Where(mailbox => !email.IsValid(mailbox?.Trim())))
        {
            yield return new ValidationResult(
                $"Graph:SenderMailboxes must list mailbox addresses (user@domain), separated by commas: '{mailbox}' is not one.",
                [nameof(SenderMailboxes)]);
        }
    }
}

/// <summary>Checks <see cref="GraphOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateGraphOptions : IValidateOptions<GraphOptions>;
