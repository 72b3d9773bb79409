using FunctionsPortal.Checklists;

namespace FunctionsPortal.Scoring;

/// <summary>A scored survey and the day it was sealed, for comparing one cycle with the previous one.</summary>
public sealed record ScoredCycle(DateOnly SubmittedOn, ScoreResult Result);

/// <summary>
/// How a finding is managed (seed 004, リスク管理強化レベル): the second occurrence within half a year is Level I —
/// a 3-month managed period with a self-inspection 1, 2 and 3 months after; a first occurrence is Level II —
/// 1 month, checked when the period ends. Either way it closes only when a follow-up check shows the fix works.
/// </summary>
public sealed record ManagementLevel(string Level, DateOnly ManagedUntil, IReadOnlyList<DateOnly> FollowUpChecks);

public sealed record ComparedFinding(ScoringFinding Finding, bool Repeated, DateOnly? PreviousOccurrence, ManagementLevel Management);

public sealed record SectionDelta(string SectionId, Localized Title, decimal? Previous, decimal? Current, decimal? Delta);

public sealed record CycleComparisonResult(
    decimal? PreviousPercentage,
    decimal? CurrentPercentage,
    decimal? Delta,
    IReadOnlyList<SectionDelta> Sections,
    IReadOnlyList<ComparedFinding> NewFindings,
    IReadOnlyList<ComparedFinding> RepeatedFindings,
    IReadOnlyList<ScoringFinding> ResolvedFindings);

public static class CycleComparison
{
    public const int RepeatWindowMonths = 6;

    public static CycleComparisonResult Compare(ScoredCycle? previous, ScoredCycle current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var before = previous?.Result.Findings.ToDictionary(finding => finding.ItemId, StringComparer.Ordinal) ?? [];
        var now = current.Result.Findings.ToDictionary(finding => finding.ItemId, StringComparer.Ordinal);
        var withinWindow = previous is not null && previous.SubmittedOn >= current.SubmittedOn.AddMonths(-RepeatWindowMonths);

        ComparedFinding Compared(ScoringFinding finding)
        {
            var repeated = before.ContainsKey(finding.ItemId);
            var levelOne = repeated && withinWindow;
            var management = levelOne
                ? new ManagementLevel("I", current.SubmittedOn.AddMonths(3), [current.SubmittedOn.AddMonths(1), current.SubmittedOn.AddMonths(2), current.SubmittedOn.AddMonths(3)])
                : new ManagementLevel("II", current.SubmittedOn.AddMonths(1), [current.SubmittedOn.AddMonths(1)]);
            return new ComparedFinding(finding, repeated, repeated ? previous!.SubmittedOn : null, management);
        }

        var compared = current.Result.Findings.Select(Compared).ToList();
        var previousSections = previous?.Result.Sections.ToDictionary(section => section.SectionId, StringComparer.Ordinal) ?? [];
        var sections = current.Result.Sections.Select(section =>
        {
            var earlier = previousSections.GetValueOrDefault(section.SectionId)?.Percentage;
            return new SectionDelta(section.SectionId, section.Title, earlier, section.Percentage, earlier is null || section.Percentage is null ? null : section.Percentage - earlier);
        }).ToList();

        var previousPercentage = previous?.Result.Percentage;
        var currentPercentage = current.Result.Percentage;
        return new CycleComparisonResult(
            previousPercentage,
            currentPercentage,
            previousPercentage is null || currentPercentage is null ? null : currentPercentage - previousPercentage,
            sections,
            compared.Where(finding => !finding.Repeated).ToList(),
            compared.Where(finding => finding.Repeated).ToList(),
            before.Values.Where(finding => !now.ContainsKey(finding.ItemId) && WasAskedAgain(current.Result, finding.ItemId)).ToList());
    }

    // A finding counts as resolved only if the item was answered this time; an item not asked stays unresolved.
    private static bool WasAskedAgain(ScoreResult current, string itemId) =>
        current.Items.Any(item => item.ItemId == itemId && item.Outcome is ItemScore.Scored);
}
