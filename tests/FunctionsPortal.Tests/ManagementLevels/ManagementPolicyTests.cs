using FunctionsPortal.ManagementLevels;

namespace FunctionsPortal.Tests.ManagementLevels;

/// <summary>Seed 004's rules on their own: which occurrence leads to which level, what a check's outcome does.</summary>
public sealed class ManagementPolicyTests
{
    private static readonly IReadOnlyList<string> Themes = ["interim-technical", "interim-physical"];
    private static readonly DateTimeOffset Now = new(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static VendorManagement Normal => new() { VendorId = "vendor-a" };

    [Fact]
    public void AFirstOccurrenceIsLevelTwoForOneMonthWithOneClosingCheck()
    {
        var state = ManagementPolicy.Record(Normal, new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.CriticalFailed, "survey-1", null), Themes, Now);

        Assert.Equal(Levels.LevelII, state.Level);
        Assert.Equal(new DateOnly(2027, 5, 1), state.ManagedUntil);
        var check = Assert.Single(state.Checks);
        Assert.Equal(new ScheduledCheck(new DateOnly(2027, 5, 1), "interim-technical", Closing: true), check);
    }

    [Fact]
    public void ASecondOccurrenceWithinSixMonthsIsLevelOneWithAThemedCheckEachMonth()
    {
        var first = ManagementPolicy.Record(Normal, new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.RepeatFinding, "survey-1", null), Themes, Now);
        var second = ManagementPolicy.Record(first, new Occurrence(new DateOnly(2027, 9, 30), OccurrenceKinds.OverdueAction, "survey-1/overdue", null), Themes, Now);

        Assert.Equal(Levels.LevelI, second.Level);
        Assert.Equal(new DateOnly(2027, 12, 30), second.ManagedUntil);
        Assert.Equal(
            [(new DateOnly(2027, 10, 30), "interim-technical", false), (new DateOnly(2027, 11, 30), "interim-physical", false), (new DateOnly(2027, 12, 30), "interim-technical", true)],
            second.Checks.Select(check => (check.DueOn, check.ChecklistId, check.Closing)));
        Assert.Equal([Levels.LevelII, Levels.LevelI], second.History.Select(change => change.To));
    }

    [Fact]
    public void AnOccurrenceMoreThanSixMonthsAfterTheLastIsAFirstOccurrenceAgain()
    {
        var first = ManagementPolicy.Record(Normal, new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.Incident, "INC-1", null), Themes, Now);
        var later = ManagementPolicy.Record(first, new Occurrence(new DateOnly(2027, 10, 2), OccurrenceKinds.Incident, "INC-2", null), Themes, Now);

        Assert.Equal(Levels.LevelII, later.Level);
        Assert.Equal(new DateOnly(2027, 10, 2), later.Since);
    }

    [Fact]
    public void TheSameOccurrenceRecordedTwiceChangesNothing()
    {
        var occurrence = new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.CriticalFailed, "survey-1", null);
        var once = ManagementPolicy.Record(Normal, occurrence, Themes, Now);

        Assert.Same(once, ManagementPolicy.Record(once, occurrence with { On = new DateOnly(2027, 4, 2) }, Themes, Now));
    }

    [Fact]
    public void APassingClosingCheckRecordsTheEffectivenessCheckAndEndsThePeriodAFailingCheckStartsLevelOne()
    {
        var managed = ManagementPolicy.Record(Normal, new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.CriticalFailed, "survey-1", null), Themes, Now);
        var sent = managed with { Checks = [managed.Checks[0] with { AssignmentKey = "managed-2027-05-01~vendor-a~interim" }] };

        var passed = ManagementPolicy.CheckDecided(sent, "managed-2027-05-01~vendor-a~interim", passed: true, new DateOnly(2027, 5, 3), "reviewer", Themes, Now);
        Assert.Equal(Levels.Normal, passed.Level);
        Assert.Equal(new EffectivenessCheck(new DateOnly(2027, 5, 3), Levels.LevelII, "managed-2027-05-01~vendor-a~interim", "reviewer"), Assert.Single(passed.EffectivenessChecks));
        Assert.Equal(CheckOutcomes.Passed, passed.Checks[0].Outcome);

        var failed = ManagementPolicy.CheckDecided(sent, "managed-2027-05-01~vendor-a~interim", passed: false, new DateOnly(2027, 5, 3), "reviewer", Themes, Now);
        Assert.Equal(Levels.LevelI, failed.Level);
        Assert.Empty(failed.EffectivenessChecks);
        Assert.Equal(CheckOutcomes.Failed, failed.Checks[0].Outcome);
        Assert.False(failed.Checks[0].Closing); // the failed check no longer closes anything: the new period's last check does
        Assert.Equal(4, failed.Checks.Count);

        Assert.Same(sent, ManagementPolicy.CheckDecided(sent, "some-other-survey", passed: true, new DateOnly(2027, 5, 3), "reviewer", Themes, Now));
    }

    [Fact]
    public void AReviewerSetsALevelWithAReason()
    {
        var levelOne = ManagementPolicy.Decide(Normal, Levels.LevelI, "重大な事故のため", "reviewer@x", new DateOnly(2027, 4, 1), Themes, Now);
        Assert.Equal((Levels.LevelI, "重大な事故のため", "reviewer@x", 3), (levelOne.Level, levelOne.Reason, levelOne.DecidedBy, levelOne.Checks.Count));

        var back = ManagementPolicy.Decide(levelOne, Levels.Normal, "誤登録", "reviewer@x", new DateOnly(2027, 4, 2), Themes, Now);
        Assert.Equal(Levels.Normal, back.Level);
        Assert.Empty(back.Checks); // none was sent yet
        Assert.Throws<ArgumentException>(() => ManagementPolicy.Decide(Normal, Levels.LevelI, " ", "reviewer@x", new DateOnly(2027, 4, 1), Themes, Now));
    }

    [Fact]
    public void MoreOccurrencesOnTheDayLevelOneStartsDoNotStartItAgainALaterOneRestartsIt()
    {
        var first = ManagementPolicy.Record(Normal, new Occurrence(new DateOnly(2027, 4, 1), OccurrenceKinds.RepeatFinding, "survey-1", null), Themes, Now);
        var levelOne = ManagementPolicy.Record(first, new Occurrence(new DateOnly(2027, 5, 1), OccurrenceKinds.OverdueAction, "survey-1/overdue", null), Themes, Now);
        var sameDay = ManagementPolicy.Record(levelOne, new Occurrence(new DateOnly(2027, 5, 1), OccurrenceKinds.OverdueAction, "survey-0/overdue", null), Themes, Now);

        Assert.Equal((levelOne.Since, levelOne.Checks, levelOne.History), (sameDay.Since, sameDay.Checks, sameDay.History));
        Assert.Equal(3, sameDay.Occurrences.Count);

        var later = ManagementPolicy.Record(sameDay, new Occurrence(new DateOnly(2027, 6, 15), OccurrenceKinds.Incident, "INC-9", null), Themes, Now);
        Assert.Equal((Levels.LevelI, new DateOnly(2027, 6, 15), new DateOnly(2027, 9, 15)), (later.Level, later.Since, later.ManagedUntil));
    }
}
