using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>
/// The PPC reporting clock, pure: which 報告対象事態 hold, and the deadlines counted in Japan time from the day we
/// became aware (day 1, 通則GL 3-5-3-4). The final deadline on a Saturday, Sunday, national holiday or 12/29–1/3
/// moves to the next day that is none of those; every deadline is the end of its Japan-time day.
/// </summary>
public sealed class IncidentClock(IOptions<IncidentRules> options)
{
    public static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    public IncidentRules Rules => options.Value;

    public IncidentAssessment Assess(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return Assess(options.Value, incident.Report, incident.AwareAt);
    }

    public IncidentAssessment Assess(IncidentReport report, DateTimeOffset awareAt) => Assess(options.Value, report, awareAt);

    public static IncidentAssessment Assess(IncidentRules rules, IncidentReport report, DateTimeOffset awareAt)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(report);
        var triggers = rules.Triggers.Select(trigger => trigger.Id).Where(id => Holds(rules, report, id)).ToList();
        var dayOne = JapanDay(awareAt);
        var finalDays = triggers.Contains(IncidentTriggers.UnlawfulPurpose) ? rules.FinalDaysUnlawfulPurpose : rules.FinalDays;
        return new IncidentAssessment(
            triggers.Count > 0,
            triggers,
            EndOf(Day(dayOne, rules.PreliminaryFromDays)),
            EndOf(Day(dayOne, rules.PreliminaryByDays)),
            EndOf(JapaneseCalendar.NextOpenDay(Day(dayOne, finalDays))));
    }

    /// <summary>The Japan-time calendar day of an instant.</summary>
    public static DateOnly JapanDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Japan).DateTime);

    /// <summary>The last instant of a Japan-time day (23:59:59.999 +09:00).</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Japan).AddDays(1).AddMilliseconds(-1);

    /// <summary>Day <paramref name="n"/> when <paramref name="dayOne"/> is day 1.</summary>
    private static DateOnly Day(DateOnly dayOne, int n) => dayOne.AddDays(n - 1);

    private static bool Holds(IncidentRules rules, IncidentReport report, string trigger) => trigger switch
    {
        IncidentTriggers.Sensitive => report.SensitiveData,
        IncidentTriggers.Financial => report.FinancialHarm,
        IncidentTriggers.UnlawfulPurpose => report.UnlawfulPurpose,
        IncidentTriggers.Over1000 => report.AffectedPeople > rules.PeopleThreshold,
        _ => false,
    };
}
