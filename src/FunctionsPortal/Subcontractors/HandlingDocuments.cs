using FunctionsPortal.Surveys;

namespace FunctionsPortal.Subcontractors;

/// <summary>
/// Where a subcontractor's handling-method document (取扱方法の書面) stands: its request is the one assignment the planner
/// files under the onboarding cycle, so finding it is one point read.
/// </summary>
public sealed class HandlingDocuments(AssignmentStore assignments)
{
    public async Task<HandlingDocument> OfAsync(string subcontractorId, CancellationToken cancellationToken)
    {
        var key = AssignmentKey.For(SurveyPlanner.OnboardingCycle, subcontractorId, SurveyKinds.HandlingMethod);
        return HandlingDocument.From(key, await assignments.FindAsync(key, cancellationToken));
    }

    /// <summary>Several at once, side by side (the staff page's pending approvals).</summary>
    public async Task<IReadOnlyDictionary<string, HandlingDocument>> OfAsync(IEnumerable<string> subcontractorIds, CancellationToken cancellationToken)
    {
        var ids = subcontractorIds.Distinct(StringComparer.Ordinal).ToList();
        var documents = await Task.WhenAll(ids.Select(id => OfAsync(id, cancellationToken)));
        return ids.Zip(documents).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
    }
}

/// <summary>The request's assignment (null before it is sent), its status, and the sealed version holding the document once it arrived.</summary>
public sealed record HandlingDocument(string AssignmentKey, bool Requested, string? Status, int? SubmittedVersion)
{
    public bool Arrived => SubmittedVersion is not null;

    public static HandlingDocument From(string key, Assignment? assignment) =>
        new(key, assignment is not null, assignment?.Status, assignment?.SubmittedVersion);
}
