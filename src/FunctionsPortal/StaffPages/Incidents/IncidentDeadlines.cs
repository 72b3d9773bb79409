using System.Globalization;
using FunctionsPortal.Incidents;

namespace FunctionsPortal.StaffPages.Incidents;

/// <summary>
/// One incident's PPC clock as staff read it on a given Japan-time day: the 速報 aim (day 3–5) and the 確報 deadline as
/// days left, whether either is overdue, and which deadline comes next. Only a reportable incident has deadlines.
/// </summary>
public sealed record IncidentDeadlines(Incident Incident, IncidentAssessment Assessment, DateOnly Today)
{
    public static IncidentDeadlines Of(Incident incident, IncidentClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new(incident, clock.Assess(incident), IncidentClock.JapanDay(now));
    }

    public bool Reportable => Assessment.Reportable;

    public DateOnly PreliminaryFrom => IncidentClock.JapanDay(Assessment.PreliminaryDueFrom);

    public DateOnly PreliminaryBy => IncidentClock.JapanDay(Assessment.PreliminaryDueBy);

    public DateOnly FinalBy => IncidentClock.JapanDay(Assessment.FinalDueBy);

    public int PreliminaryDaysLeft => PreliminaryBy.DayNumber - Today.DayNumber;

    public int FinalDaysLeft => FinalBy.DayNumber - Today.DayNumber;

    public bool PreliminaryPending => Reportable && Incident.IsOpen && Incident.PreliminaryReportedAt is null;

    public bool FinalPending => Reportable && Incident.IsOpen && Incident.FinalReportedAt is null;

    public bool PreliminaryOverdue => PreliminaryPending && PreliminaryDaysLeft < 0;

    public bool FinalOverdue => FinalPending && FinalDaysLeft < 0;

    public bool Overdue => PreliminaryOverdue || FinalOverdue;

    /// <summary>The next report still owed: the 速報 until it is made, then the 確報; null when none is owed.</summary>
    public DateOnly? NextDue => PreliminaryPending ? PreliminaryBy : FinalPending ? FinalBy : null;

    public int? NextDaysLeft => NextDue is { } due ? due.DayNumber - Today.DayNumber : null;

    /// <summary>あとN日 / 本日まで / N日超過, and the English.</summary>
    public static (string Ja, string En) Left(int days) => days switch
    {
        > 0 => ($"あと{days.ToString(CultureInfo.InvariantCulture)}日", days == 1 ? "1 day left" : $"{days.ToString(CultureInfo.InvariantCulture)} days left"),
        0 => ("本日まで", "due today"),
        _ => ($"{(-days).ToString(CultureInfo.InvariantCulture)}日超過", days == -1 ? "1 day overdue" : $"{(-days).ToString(CultureInfo.InvariantCulture)} days overdue"),
    };

    public static string Day(DateOnly day) => day.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
}
