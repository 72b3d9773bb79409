using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// Start-up check: Planner needs both the plan and the bucket. One without the other is a half-finished deployment
/// that would silently send tasks to the local list; it fails at boot instead.
/// </summary>
internal sealed class PlannerIdsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plan = !string.IsNullOrWhiteSpace(options.PlannerPlanId);
        var bucket = !string.IsNullOrWhiteSpace(options.PlannerBucketId);
        return (plan, bucket) switch
        {
            (true, false) => ValidateOptionsResult.Fail("Graph:PlannerPlanId is set but Graph:PlannerBucketId is not: corrective tasks need both (or neither, for the local task list)."),
            (false, true) => ValidateOptionsResult.Fail("Graph:PlannerBucketId is set but Graph:PlannerPlanId is not: corrective tasks need both (or neither, for the local task list)."),
            _ => ValidateOptionsResult.Success,
        };
    }
}
