using FunctionsPortal.Checklists;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.StaffPages.Assignments;

/// <summary>
/// A sealed submission beside the vendor's previous one, item by item: what changed (answer, comment, documents by
/// hash), what is not ○, what is critical — the rows a reviewer must look at; the rest only when asked for.
/// </summary>
public static class ReviewComparison
{
    public static IReadOnlyList<ReviewSection> Compare(
        ResolvedChecklist checklist, SealedPayload current, SealedPayload? previous, ScoreResult? score, IReadOnlyDictionary<string, Reassessment>? reassessments = null)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(current);
        var points = score?.Items.ToDictionary(item => item.ItemId, StringComparer.Ordinal) ?? [];
        var findings = score?.Findings.ToDictionary(finding => finding.ItemId, StringComparer.Ordinal) ?? [];
        return checklist.Sections
            .Select(section => new ReviewSection(section, section.Items
                .Where(item => current.Answers.ContainsKey(item.Id) || current.Evidence.Any(file => file.ItemId == item.Id))
                .Select(item =>
                {
                    var answer = current.Answers.GetValueOrDefault(item.Id);
                    var before = previous?.Answers.GetValueOrDefault(item.Id);
                    var files = current.Evidence.Where(file => file.ItemId == item.Id).ToList();
                    var filesBefore = previous?.Evidence.Where(file => file.ItemId == item.Id).ToList() ?? [];
                    var changed = previous is not null && (!SameAnswer(answer, before) || !files.Select(file => file.Sha256).Order(StringComparer.Ordinal)
                        .SequenceEqual(filesBefore.Select(file => file.Sha256).Order(StringComparer.Ordinal), StringComparer.Ordinal));
                    return new ReviewRow(item, answer, before, files, changed, points.GetValueOrDefault(item.Id), findings.GetValueOrDefault(item.Id), reassessments?.GetValueOrDefault(item.Id));
                })
                .ToList()))
            .Where(section => section.Rows.Count > 0)
            .ToList();
    }

    /// <summary>The same answer (carry-forward marks aside): status, choices, value, N/A reason and comment.</summary>
    private static bool SameAnswer(SealedAnswer? a, SealedAnswer? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Status == b.Status && (a.Choices ?? []).SequenceEqual(b.Choices ?? [], StringComparer.Ordinal) && a.Text == b.Text && a.Number == b.Number
              && a.Date == b.Date && a.NaReason == b.NaReason && a.Comment == b.Comment;
}

public sealed record ReviewSection(ChecklistSection Section, IReadOnlyList<ReviewRow> Rows);

/// <summary>
/// One item as sealed (<c>Answer</c>, its <c>Files</c>), as sealed last time (<c>Previous</c>), whether it changed
/// (never when there is nothing to compare with), how it scored (after any reviewer's reassessment, which is given too),
/// and the scoring's finding with its recommended action.
/// </summary>
public sealed record ReviewRow(
    ChecklistItem Item, SealedAnswer? Answer, SealedAnswer? Previous, IReadOnlyList<SealedEvidence> Files, bool Changed, ItemScore? Score, ScoringFinding? Finding,
    Reassessment? Reassessment = null)
{
    /// <summary>Shown by default: changed, not fully done, critical, or reassessed.</summary>
    public bool NeedsEyes => Changed || Finding is not null || Item.Critical || Reassessment is not null;
}
