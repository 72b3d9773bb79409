using System.Globalization;
using FunctionsPortal.Incidents;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>
/// The PPC clock over the shipped rules table: the triggers, and the deadlines counted from the Japan-time day we became
/// aware (day 1), the final one moved past weekends, holidays and 12/29–1/3, each ending at 23:59:59.999 JST.
/// </summary>
public sealed class IncidentClockTests
{
    private static readonly IncidentClock Clock = new(Options.Create(IncidentRulesTable.Shipped));

    private static readonly IncidentReport Plain = new() { Summary = "x", DiscoveredAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture), DataCategories = ["personal"] };

    /// <summary>awareAt (any offset), unlawful purpose?, then the Japan-time days: preliminary from, preliminary by, final.</summary>
    public static readonly TheoryData<string, bool, string, string, string, string> Deadlines = new()
    {
        { "2026-01-15T10:00:00+09:00", false, "2026-01-17", "2026-01-19", "2026-02-13", "an ordinary Thursday: day 30 is a Friday" },
        { "2026-01-31T09:00:00+09:00", false, "2026-02-02", "2026-02-04", "2026-03-02", "across the month end: day 30 (3/1) is a Sunday" },
        { "2026-10-02T10:00:00+09:00", false, "2026-10-04", "2026-10-06", "2026-11-02", "day 30 is a Saturday: past the weekend to Monday" },
        { "2026-11-30T12:00:00+09:00", false, "2026-12-02", "2026-12-04", "2027-01-04", "day 30 is 12/29: past the year-end closure" },
        { "2026-04-07T10:00:00+09:00", false, "2026-04-09", "2026-04-11", "2026-05-07", "day 30 is 5/6, Golden Week's 振替休日" },
        { "2028-02-29T10:00:00+09:00", false, "2028-03-02", "2028-03-04", "2028-03-29", "from the leap day" },
        { "2026-06-30T23:30:00+00:00", false, "2026-07-03", "2026-07-05", "2026-07-30", "23:30 UTC is the next day in Japan: day 1 is 7/1" },
        { "2026-06-30T14:59:59+00:00", false, "2026-07-02", "2026-07-04", "2026-07-29", "one second before midnight JST is still 6/30" },
        { "2026-07-24T10:00:00+09:00", true, "2026-07-26", "2026-07-28", "2026-09-24", "60 days (unlawful purpose): day 60 is 敬老の日, then 国民の休日, then 秋分" },
        { "2026-11-01T10:00:00+09:00", true, "2026-11-03", "2026-11-05", "2027-01-04", "60 days ending on 12/30" },
    };

    [Theory]
    [MemberData(nameof(Deadlines))]
    public void TheDeadlinesAreCountedInJapanTimeFromDayOne(string awareAt, bool unlawfulPurpose, string preliminaryFrom, string preliminaryBy, string final, string why)
    {
        var assessment = Clock.Assess(Plain with { UnlawfulPurpose = unlawfulPurpose }, DateTimeOffset.Parse(awareAt, CultureInfo.InvariantCulture));

        Assert.True((EndOf(preliminaryFrom), EndOf(preliminaryBy), EndOf(final)) == (assessment.PreliminaryDueFrom, assessment.PreliminaryDueBy, assessment.FinalDueBy),
            $"{why}: expected {preliminaryFrom}/{preliminaryBy}/{final}, got {Day(assessment.PreliminaryDueFrom)}/{Day(assessment.PreliminaryDueBy)}/{Day(assessment.FinalDueBy)}");
    }

    [Fact]
    public void ADeadlineIsTheLastMillisecondOfItsJapanTimeDay()
    {
        var assessment = Clock.Assess(Plain, DateTimeOffset.Parse("2026-01-15T01:00:00Z", CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse("2026-02-13T23:59:59.999+09:00", CultureInfo.InvariantCulture), assessment.FinalDueBy);
        Assert.Equal(TimeSpan.FromHours(9), assessment.FinalDueBy.Offset);
        Assert.Equal(DateTimeOffset.Parse("2026-02-13T14:59:59.999Z", CultureInfo.InvariantCulture), assessment.FinalDueBy.ToUniversalTime());
    }

    public static readonly TheoryData<bool, bool, bool, long?, string[]> Triggers = new()
    {
        { false, false, false, null, [] },
        { true, false, false, null, ["sensitive"] },
        { false, true, false, null, ["financial"] },
        { false, false, true, null, ["unlawful-purpose"] },
        { false, false, false, 1001, ["over-1000"] },
        { false, false, false, 1000, [] },
        { false, false, false, 0, [] },
        { true, true, true, 5000, ["sensitive", "financial", "unlawful-purpose", "over-1000"] },
    };

    [Theory]
    [MemberData(nameof(Triggers))]
    public void AnIncidentIsReportableWhenAnyTriggerHolds(bool sensitive, bool financial, bool unlawful, long? people, string[] expected)
    {
        var assessment = Clock.Assess(Plain with { SensitiveData = sensitive, FinancialHarm = financial, UnlawfulPurpose = unlawful, AffectedPeople = people }, DateTimeOffset.Parse("2026-03-02T10:00:00+09:00", CultureInfo.InvariantCulture));

        Assert.Equal(expected, assessment.Triggers);
        Assert.Equal(expected.Length > 0, assessment.Reportable);
    }

    [Fact]
    public void OnlyTheUnlawfulPurposeTriggerGivesSixtyDays()
    {
        var aware = DateTimeOffset.Parse("2026-03-02T10:00:00+09:00", CultureInfo.InvariantCulture);

        Assert.Equal(EndOf("2026-03-31"), Clock.Assess(Plain with { SensitiveData = true, AffectedPeople = 2000 }, aware).FinalDueBy);
        Assert.Equal(EndOf("2026-04-30"), Clock.Assess(Plain with { UnlawfulPurpose = true }, aware).FinalDueBy);
    }

    private static DateTimeOffset EndOf(string day) => DateTimeOffset.Parse($"{day}T23:59:59.999+09:00", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset at) => IncidentClock.JapanDay(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
