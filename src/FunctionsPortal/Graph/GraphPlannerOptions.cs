using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// How corrective tasks reach Microsoft Planner (section <c>GraphPlanner</c>). The plan and bucket are
/// <see cref="GraphOptions.PlannerPlanId"/> and <see cref="GraphOptions.PlannerBucketId"/>; Planner is used only when both are set.
/// </summary>
public sealed class GraphPlannerOptions : IValidatableObject
{
    public const string SectionName = "GraphPlanner";

    /// <summary>Graph's v1.0 root for Planner calls; unset, the mail's (<c>GraphMail:BaseUrl</c>), so one setting moves both to another cloud or a fake.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>How long one Planner call may take before its outcome counts as unknown (look the marker up, retry later).</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "GraphPlanner:RequestTimeout must be more than 0 and at most 10 minutes.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the Graph settings name a Planner plan and bucket (both: PlannerIdsValidator refuses one without the other).</summary>
    public static bool IsConfigured(GraphOptions graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return !string.IsNullOrWhiteSpace(graph.PlannerPlanId) && !string.IsNullOrWhiteSpace(graph.PlannerBucketId);
    }

    /// <summary>The same, read from configuration at registration time (AddGraph chooses the task board with it).</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(GraphOptions.SectionName);
        return !string.IsNullOrWhiteSpace(section[nameof(GraphOptions.PlannerPlanId)]) && !string.IsNullOrWhiteSpace(section[nameof(GraphOptions.PlannerBucketId)]);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Bearer tokens never travel in clear text, except to this machine (the fake Graph in tests).
        if (BaseUrl is { } url && (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
        {
            yield return new ValidationResult(
                "GraphPlanner:BaseUrl must be an absolute https URL (http only for a loopback address).",
                [nameof(BaseUrl)]);
        }
    }
}

/// <summary>Checks <see cref="GraphPlannerOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateGraphPlannerOptions : IValidateOptions<GraphPlannerOptions>;
