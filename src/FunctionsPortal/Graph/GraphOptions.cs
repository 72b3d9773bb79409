using System.ComponentModel.DataAnnotations;

namespace FunctionsPortal.Graph;

/// <summary>
/// Microsoft Graph: the mailbox invitations are sent from and the Planner plan/bucket corrective tasks go to.
/// Unset locally: mail then lands in the local outbox and tasks in the local task list.
/// </summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    [EmailAddress(ErrorMessage = "Graph:SenderMailbox must be a mailbox address (user@domain).")]
    public string? SenderMailbox { get; set; }

    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Graph:PlannerPlanId must be a Planner plan id.")]
    public string? PlannerPlanId { get; set; }

    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Graph:PlannerBucketId must be a Planner bucket id.")]
    public string? PlannerBucketId { get; set; }
}
