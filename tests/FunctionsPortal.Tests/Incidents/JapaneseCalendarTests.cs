using FunctionsPortal.Incidents;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>National holidays by rule, against the Cabinet Office's published calendars for 2026 and 2027 (and a few earlier oddities).</summary>
public sealed class JapaneseCalendarTests
{
    public static readonly TheoryData<string, string> Holidays2026And2027 = new()
    {
        { "2026-01-01", "元日" },
        { "2026-01-12", "成人の日 (2nd Monday)" },
        { "2026-02-11", "建国記念の日" },
        { "2026-02-23", "天皇誕生日" },
        { "2026-03-20", "春分の日" },
        { "2026-04-29", "昭和の日" },
        { "2026-05-03", "憲法記念日 (Sunday)" },
        { "2026-05-04", "みどりの日" },
        { "2026-05-05", "こどもの日" },
        { "2026-05-06", "振替休日 (the first day after 5/3 that is no holiday)" },
        { "2026-07-20", "海の日 (3rd Monday)" },
        { "2026-08-11", "山の日" },
        { "2026-09-21", "敬老の日 (3rd Monday)" },
        { "2026-09-22", "国民の休日 (between two holidays)" },
        { "2026-09-23", "秋分の日" },
        { "2026-10-12", "スポーツの日 (2nd Monday)" },
        { "2026-11-03", "文化の日" },
        { "2026-11-23", "勤労感謝の日" },
        { "2027-01-01", "元日" },
        { "2027-01-11", "成人の日" },
        { "2027-02-11", "建国記念の日" },
        { "2027-02-23", "天皇誕生日" },
        { "2027-03-21", "春分の日 (Sunday)" },
        { "2027-03-22", "振替休日" },
        { "2027-04-29", "昭和の日" },
        { "2027-05-03", "憲法記念日" },
        { "2027-05-04", "みどりの日" },
        { "2027-05-05", "こどもの日" },
        { "2027-07-19", "海の日" },
        { "2027-08-11", "山の日" },
        { "2027-09-20", "敬老の日" },
        { "2027-09-23", "秋分の日" },
        { "2027-10-11", "スポーツの日" },
        { "2027-11-03", "文化の日" },
        { "2027-11-23", "勤労感謝の日" },
        { "2015-09-22", "国民の休日 (the 2015 silver week)" },
        { "2019-04-30", "国民の休日 (before the enthronement day)" },
        { "2019-05-01", "即位の日" },
        { "2019-05-02", "国民の休日" },
        { "2019-10-22", "即位礼正殿の儀" },
        { "2020-07-24", "スポーツの日 (moved for the Olympics)" },
        { "2021-08-09", "振替休日 (山の日 2021-08-08 was a Sunday)" },
        { "2018-12-24", "振替休日 (天皇誕生日 2018-12-23 was a Sunday)" },
    };

    [Theory]
    [MemberData(nameof(Holidays2026And2027))]
    public void TheHolidayIsOne(string day, string name)
    {
        Assert.True(JapaneseCalendar.IsHoliday(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)), $"{day} {name}");
    }

    [Theory]
    [InlineData(2026, 18)]
    [InlineData(2027, 17)]
    public void TheYearHasExactlyThePublishedHolidays(int year, int count)
    {
        var expected = Holidays2026And2027.Select(row => row.Data.Item1).Where(day => day.StartsWith($"{year}-", StringComparison.Ordinal)).ToList();

        Assert.Equal(count, expected.Count);
        Assert.Equal(expected, JapaneseCalendar.HolidaysOf(year).Select(day => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-05-07", false)] // Thursday after Golden Week
    [InlineData("2026-05-09", true)]  // Saturday
    [InlineData("2026-05-10", true)]  // Sunday
    [InlineData("2026-12-28", false)] // the last working day of the year
    [InlineData("2026-12-29", true)]  // year-end closure
    [InlineData("2026-12-31", true)]
    [InlineData("2027-01-02", true)]
    [InlineData("2027-01-03", true)]
    [InlineData("2027-01-04", false)]
    [InlineData("2026-09-22", true)]  // 国民の休日 on a Tuesday
    [InlineData("2028-02-29", false)] // leap day, a Tuesday
    public void ClosedDaysAreWeekendsHolidaysAndTheYearEnd(string day, bool closed)
    {
        Assert.Equal(closed, JapaneseCalendar.IsClosedDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void TheEquinoxFormulaHoldsOnlyWithinItsRange()
    {
        Assert.Equal(new DateOnly(2028, 3, 20), JapaneseCalendar.VernalEquinox(2028));
        Assert.Equal(new DateOnly(2028, 9, 22), JapaneseCalendar.AutumnalEquinox(2028));
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseCalendar.HolidaysOf(2100));
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseCalendar.HolidaysOf(1979));
    }
}
