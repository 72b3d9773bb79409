using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Section <c>Incidents:Rules</c>: the PPC reporting rules as data (規則7条・8条, 通則ガイドライン 3-5-3), so a change of
/// guideline is a change of configuration. The table lives in appsettings.json; there are no defaults here (a list
/// bound over defaults would append to them).
/// </summary>
public sealed class IncidentRules
{
    public const string SectionName = "Incidents:Rules";

    /// <summary>The closed-days rule the code implements: Saturdays, Sundays, national holidays and 12/29–1/3.</summary>
    public const string JapanClosedDays = "japan-weekends-holidays-year-end";

    public List<IncidentTriggerRule> Triggers { get; set; } = [];

    /// <summary>More than this many people makes an incident reportable (規則7条4号: 1,000).</summary>
    public long PeopleThreshold { get; set; }

    /// <summary>The preliminary report (速報) is shown as due from the end of this day (day 1 = the day we became aware)…</summary>
    public int PreliminaryFromDays { get; set; }

    /// <summary>…to the end of this day (概ね3〜5日以内).</summary>
    public int PreliminaryByDays { get; set; }

    /// <summary>The final report (確報): within this many days (30).</summary>
    public int FinalDays { get; set; }

    /// <summary>The final report when the unlawful-purpose trigger holds (60).</summary>
    public int FinalDaysUnlawfulPurpose { get; set; }

    /// <summary>Which days a final deadline moves past; only <see cref="JapanClosedDays"/> is known.</summary>
    public string ClosedDays { get; set; } = "";

    /// <summary>Citations for the deadlines and their counting.</summary>
    public string PreliminarySource { get; set; } = "";

    public string FinalSource { get; set; } = "";

    public string CountingSource { get; set; } = "";

    public IncidentTriggerRule Trigger(string id) => Triggers.First(trigger => trigger.Id == id);
}

/// <summary>One 報告対象事態: its id (<see cref="IncidentTriggers"/>), wording in both languages and its source.</summary>
public sealed class IncidentTriggerRule
{
    public string Id { get; set; } = "";

    public string Ja { get; set; } = "";

    public string En { get; set; } = "";

    public string Source { get; set; } = "";
}

/// <summary>Refuses a rules table the clock cannot apply, naming each bad entry.</summary>
public sealed class IncidentRulesValidator : IValidateOptions<IncidentRules>
{
    public ValidateOptionsResult Validate(string? name, IncidentRules options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Triggers.Count; i++)
        {
            var trigger = options.Triggers[i];
            var at = $"{IncidentRules.SectionName}:Triggers:{i} ('{trigger.Id}')";
            if (!IncidentTriggers.All.Contains(trigger.Id))
            {
                failures.Add($"{at}: Id must be one of {string.Join(", ", IncidentTriggers.All)}.");
            }
            else if (!seen.Add(trigger.Id))
            {
                failures.Add($"{at}: the trigger is listed twice.");
            }

            if (string.IsNullOrWhiteSpace(trigger.Ja) || string.IsNullOrWhiteSpace(trigger.En) || string.IsNullOrWhiteSpace(trigger.Source))
            {
                failures.Add($"{at}: Ja, En and Source are required.");
            }
        }

        failures.AddRange(IncidentTriggers.All.Where(id => !options.Triggers.Any(trigger => trigger.Id == id))
            .Select(id => $"{IncidentRules.SectionName}:Triggers: the trigger '{id}' is missing."));
        if (options.PeopleThreshold < 1)
        {
            failures.Add($"{IncidentRules.SectionName}:PeopleThreshold must be at least 1.");
        }

        if (options.PreliminaryFromDays < 1 || options.PreliminaryByDays < options.PreliminaryFromDays)
        {
            failures.Add($"{IncidentRules.SectionName}:PreliminaryFromDays must be at least 1 and PreliminaryByDays at least PreliminaryFromDays.");
        }

        if (options.FinalDays < options.PreliminaryByDays || options.FinalDays > 366)
        {
            failures.Add($"{IncidentRules.SectionName}:FinalDays must be between PreliminaryByDays and 366.");
        }

        if (options.FinalDaysUnlawfulPurpose < options.FinalDays || options.FinalDaysUnlawfulPurpose > 366)
        {
            failures.Add($"{IncidentRules.SectionName}:FinalDaysUnlawfulPurpose must be between FinalDays and 366.");
        }

        if (options.ClosedDays != IncidentRules.JapanClosedDays)
        {
            failures.Add($"{IncidentRules.SectionName}:ClosedDays must be '{IncidentRules.JapanClosedDays}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
