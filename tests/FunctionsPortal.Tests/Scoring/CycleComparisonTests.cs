using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;

namespace FunctionsPortal.Tests.Scoring;

public sealed class CycleComparisonTests
{
    private static ScoringFinding Finding(string item, string section = "handling") =>
        new(item, section, StatusAnswers.NotDone, 0, 3, false, "medium", "process", new("q", "q"), new("a", "a"));

    private static ScoreResult Result(decimal percentage, params ScoringFinding[] findings) => new(
        "annual-full", 1, Verdicts.PassedWithFindings, percentage, "B",
        [new SectionScore("handling", new("取扱い", "Handling"), percentage, 3, 0, 0)],
        findings, [], [],
        [.. HandlingItems.Select(id => new ItemScore(id, "handling", ItemScore.Scored, 1, 3, false))]);

    private static readonly string[] HandlingItems = ["HDL-01", "HDL-02", "HDL-03"];

    [Fact]
    public void TheSameFindingWithinSixMonthsIsARepeatManagedAtLevelOne()
    {
        var previous = new ScoredCycle(new DateOnly(2026, 4, 10), Result(80, Finding("HDL-01"), Finding("HDL-02")));
        var current = new ScoredCycle(new DateOnly(2026, 9, 30), Result(85, Finding("HDL-01"), Finding("HDL-03")));

        var comparison = CycleComparison.Compare(previous, current);

        var repeated = Assert.Single(comparison.RepeatedFindings);
        Assert.Equal("HDL-01", repeated.Finding.ItemId);
        Assert.Equal("I", repeated.Management.Level);
        Assert.Equal(new DateOnly(2026, 12, 30), repeated.Management.ManagedUntil);
        Assert.Equal([new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 30)], repeated.Management.FollowUpChecks);
        var fresh = Assert.Single(comparison.NewFindings);
        Assert.Equal(("HDL-03", "II"), (fresh.Finding.ItemId, fresh.Management.Level));
        Assert.Equal("HDL-02", Assert.Single(comparison.ResolvedFindings).ItemId);
        Assert.Equal(5m, comparison.Delta);
        Assert.Equal(5m, Assert.Single(comparison.Sections).Delta);
    }

    [Fact]
    public void ARepeatAfterMoreThanSixMonthsIsAFirstOccurrenceAgain()
    {
        var previous = new ScoredCycle(new DateOnly(2025, 9, 1), Result(80, Finding("HDL-01")));
        var current = new ScoredCycle(new DateOnly(2026, 9, 30), Result(80, Finding("HDL-01")));

        var repeated = Assert.Single(CycleComparison.Compare(previous, current).RepeatedFindings);

        Assert.Equal("II", repeated.Management.Level);
        Assert.Equal([new DateOnly(2026, 10, 30)], repeated.Management.FollowUpChecks);
    }

    [Fact]
    public void TheFirstCycleHasOnlyNewFindings()
    {
        var comparison = CycleComparison.Compare(null, new ScoredCycle(new DateOnly(2026, 9, 30), Result(70, Finding("HDL-01"))));

        Assert.Null(comparison.Delta);
        Assert.Single(comparison.NewFindings);
        Assert.Empty(comparison.RepeatedFindings);
    }
}
