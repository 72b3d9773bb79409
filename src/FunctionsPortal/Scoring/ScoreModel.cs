using FunctionsPortal.Checklists;

namespace FunctionsPortal.Scoring;

public static class Verdicts
{
    /// <summary>A required item is unanswered or an answer is invalid: no score is given.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>A must-pass item failed, or the score is below the pass mark: corrective action is required.</summary>
    public const string NeedsCorrection = "needs-correction";

    /// <summary>At or above the pass mark with no failed must-pass item, but some items are not fully done.</summary>
    public const string PassedWithFindings = "passed-with-findings";

    /// <summary>Every applicable scored item fully done.</summary>
    public const string Passed = "passed";
}

/// <summary>Grade bands from the top; the lowest band with a minimum at or below the pass mark still passes.</summary>
public sealed record GradeBands(IReadOnlyList<GradeBand> Bands, decimal PassMark)
{
    public static GradeBands Default { get; } = new([new("A", 90), new("B", 75), new("C", 60), new("D", 0)], 60);

    public string GradeFor(decimal percentage) => Bands.OrderByDescending(band => band.Minimum).First(band => percentage >= band.Minimum).Grade;
}

public sealed record GradeBand(string Grade, decimal Minimum);

/// <summary>How one item counted: its points (0…1) and weight, or why it did not count.</summary>
public sealed record ItemScore(string ItemId, string SectionId, string Outcome, decimal? Points, int Weight, bool Critical)
{
    public const string Scored = "scored";
    public const string NotApplicable = "not-applicable";
    public const string AnsweredNotApplicable = "answered-na";
    public const string Informational = "informational";
    public const string Unanswered = "unanswered";
}

public sealed record SectionScore(string SectionId, Localized Title, decimal? Percentage, int ScoredItems, decimal EarnedWeight, decimal PossibleWeight);

/// <summary>A scored item that is not fully done, with what to do about it.</summary>
public sealed record ScoringFinding(
    string ItemId, string SectionId, string Answer, decimal Points, int Weight, bool Critical, string Severity, string Type, Localized Text, Localized Action);

public sealed record AnswerProblem(string ItemId, string Message);

public sealed record ScoreResult(
    string ChecklistId,
    int ChecklistVersion,
    string Verdict,
    decimal? Percentage,
    string? Grade,
    IReadOnlyList<SectionScore> Sections,
    IReadOnlyList<ScoringFinding> Findings,
    IReadOnlyList<string> MissingRequired,
    IReadOnlyList<AnswerProblem> InvalidAnswers,
    IReadOnlyList<ItemScore> Items)
{
    public bool IsComplete => Verdict != Verdicts.Incomplete;

    public bool CriticalFailed => Findings.Any(finding => finding.Critical);
}
