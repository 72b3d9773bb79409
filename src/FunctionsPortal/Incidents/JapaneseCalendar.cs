namespace FunctionsPortal.Incidents;

/// <summary>
/// Japan's national holidays by the rules of 国民の祝日に関する法律 (fixed days, Happy Monday days, 春分・秋分 by the
/// standard formula, 振替休日, 国民の休日) and the one-off holidays of 1989–2021, for 1980–2099; plus the year-end
/// closed days 12/29–1/3 that the PPC's deadline counting skips.
/// </summary>
public static class JapaneseCalendar
{
    public const int FirstYear = 1980;
    public const int LastYear = 2099;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlySet<DateOnly>> Years = new();

    /// <summary>A national holiday (国民の祝日, 振替休日 or 国民の休日).</summary>
    public static bool IsHoliday(DateOnly day) => HolidaysOf(day.Year).Contains(day);

    /// <summary>Saturday, Sunday, a national holiday or 12/29–1/3: the days a deadline that falls on them moves past.</summary>
    public static bool IsClosedDay(DateOnly day) =>
        day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || IsYearEnd(day) || IsHoliday(day);

    /// <summary>12/29–12/31 and 1/1–1/3.</summary>
    public static bool IsYearEnd(DateOnly day) => (day.Month == 12 && day.Day >= 29) || (day.Month == 1 && day.Day <= 3);

    /// <summary>The day itself when it is open, else the next day that is not closed.</summary>
    public static DateOnly NextOpenDay(DateOnly day)
    {
        while (IsClosedDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>Every national holiday of a year (1980–2099), in order.</summary>
    public static IReadOnlySet<DateOnly> HolidaysOf(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, FirstYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, LastYear);
        return Years.GetOrAdd(year, Compute);
    }

    /// <summary>春分日 by the formula valid for 1980–2099.</summary>
    public static DateOnly VernalEquinox(int year) => new(year, 3, (int)Math.Floor(20.8431 + (0.242194 * (year - 1980)) - Math.Floor((year - 1980) / 4.0)));

    /// <summary>秋分日 by the formula valid for 1980–2099.</summary>
    public static DateOnly AutumnalEquinox(int year) => new(year, 9, (int)Math.Floor(23.2488 + (0.242194 * (year - 1980)) - Math.Floor((year - 1980) / 4.0)));

    private static SortedSet<DateOnly> Compute(int year)
    {
        var national = NationalHolidays(year).ToHashSet();
        var all = new SortedSet<DateOnly>(national);

        // 振替休日: a holiday on a Sunday gives the next day (since 2007: the next day that is no holiday).
        foreach (var sunday in national.Where(day => day.DayOfWeek == DayOfWeek.Sunday))
        {
            var substitute = sunday.AddDays(1);
            while (year >= 2007 && national.Contains(substitute))
            {
                substitute = substitute.AddDays(1);
            }

            if (substitute.Year == year)
            {
                all.Add(substitute);
            }
        }

        // 国民の休日 (since 1986): a day between two national holidays that is none itself.
        if (year >= 1986)
        {
            foreach (var day in national.Select(day => day.AddDays(1)).Where(day => day.Year == year).ToList())
            {
                if (!national.Contains(day) && national.Contains(day.AddDays(1)) && day.DayOfWeek != DayOfWeek.Sunday)
                {
                    all.Add(day);
                }
            }
        }

        return all;
    }

    private static IEnumerable<DateOnly> NationalHolidays(int year)
    {
        yield return new(year, 1, 1);
        yield return year >= 2000 ? Monday(year, 1, 2) : new(year, 1, 15);
        yield return new(year, 2, 11);
        if (year >= 2020)
        {
            yield return new(year, 2, 23);
        }

        yield return VernalEquinox(year);
        yield return new(year, 4, 29);
        yield return new(year, 5, 3);
        if (year >= 2007)
        {
            yield return new(year, 5, 4);
        }

        yield return new(year, 5, 5);
        if (year is >= 1996 and < 2003)
        {
            yield return new(year, 7, 20);
        }
        else if (year >= 2003)
        {
            yield return year switch { 2020 => new(2020, 7, 23), 2021 => new(2021, 7, 22), _ => Monday(year, 7, 3) };
        }

        if (year >= 2016)
        {
            yield return year switch { 2020 => new(2020, 8, 10), 2021 => new(2021, 8, 8), _ => new(year, 8, 11) };
        }

        yield return year >= 2003 ? Monday(year, 9, 3) : new(year, 9, 15);
        yield return AutumnalEquinox(year);
        yield return year switch { 2020 => new(2020, 7, 24), 2021 => new(2021, 7, 23), >= 2000 => Monday(year, 10, 2), _ => new(year, 10, 10) };
        yield return new(year, 11, 3);
        yield return new(year, 11, 23);
        if (year is >= 1989 and <= 2018)
        {
            yield return new(year, 12, 23);
        }

        // One-off holidays set by their own laws.
        DateOnly? special = year switch
        {
            1989 => new(1989, 2, 24),
            1990 => new(1990, 11, 12),
            1993 => new(1993, 6, 9),
            _ => null,
        };
        if (special is { } once)
        {
            yield return once;
        }

        if (year == 2019)
        {
            yield return new(2019, 5, 1);
            yield return new(2019, 10, 22);
        }
    }

    /// <summary>The <paramref name="nth"/> Monday of the month (Happy Monday).</summary>
    private static DateOnly Monday(int year, int month, int nth)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + ((nth - 1) * 7));
    }
}
