using System.Text.Json.Serialization;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// What one assignment contributes to its bucket's summary, at one revision of the assignment. A bucket keeps one
/// entry per assignment, so applying the same change twice, or an older change after a newer one, changes nothing.
/// Short JSON names: a bucket row holds hundreds of these.
/// </summary>
public sealed record SummaryEntry(
    [property: JsonPropertyName("r")] int Revision,
    [property: JsonPropertyName("s")] string Status,
    [property: JsonPropertyName("t")] DateTimeOffset Since,
    [property: JsonPropertyName("d")] DateOnly DueOn,
    [property: JsonPropertyName("g")] string? Grade = null,
    [property: JsonPropertyName("v")] string? Verdict = null,
    [property: JsonPropertyName("p")] decimal? Percentage = null,
    [property: JsonPropertyName("c")] bool CriticalFailed = false,
    [property: JsonPropertyName("u")] bool Unreachable = false,
    [property: JsonPropertyName("x")] IReadOnlyDictionary<string, decimal>? Sections = null)
{
    public static SummaryEntry From(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var score = assignment.Score;
        // Since the move into the current status (a due-date note without a move does not restart the wait).
        var since = assignment.History.LastOrDefault(change => change.To == assignment.Status && change.From != change.To)?.At ?? assignment.CreatedAt;
        return new SummaryEntry(
            assignment.Revision, assignment.Status, since, assignment.DueOn, score?.Grade, score?.Verdict, score?.Percentage, score?.CriticalFailed ?? false,
            assignment.RecipientProblem is not null,
            score?.Sections is { Count: > 0 } sections ? sections.ToDictionary(section => section.SectionId, section => section.Percentage, StringComparer.Ordinal) : null);
    }

    /// <summary>Why a person should look at it now, if they should.</summary>
    public IEnumerable<ActionKind> Actions()
    {
        if (Status is AssignmentStatus.Submitted or AssignmentStatus.Resubmitted or AssignmentStatus.UnderReview)
        {
            yield return ActionKind.Review;
        }

        if (Status == AssignmentStatus.Overdue)
        {
            yield return ActionKind.Overdue;
        }

        if (CriticalFailed && Status != AssignmentStatus.Cancelled)
        {
            yield return ActionKind.CriticalFailed;
        }

        if (Unreachable && !AssignmentStatus.IsFinal(Status))
        {
            yield return ActionKind.Unreachable;
        }
    }
}

/// <summary>Kinds of "needs action", in the order the dashboard lists them.</summary>
public enum ActionKind
{
    Review,
    Overdue,
    CriticalFailed,
    Unreachable,
}
