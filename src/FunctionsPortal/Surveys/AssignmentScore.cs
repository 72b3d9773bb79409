namespace FunctionsPortal.Surveys;

/// <summary>A sealed version's score as the dashboard needs it: verdict, grade, percentage, critical failures, section percentages.</summary>
public sealed record AssignmentScore(
    int Version, string Verdict, decimal? Percentage, string? Grade, bool CriticalFailed, IReadOnlyList<SectionPercentage> Sections);

public sealed record SectionPercentage(string SectionId, string TitleJa, string TitleEn, decimal Percentage);
