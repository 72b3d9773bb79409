using FunctionsPortal.Checklists;
using FunctionsPortal.Incidents;

namespace FunctionsPortal.StaffPages.Incidents;

/// <summary>Short names for the four 報告対象事態 where a table has no room for the rules table's full wording.</summary>
public static class TriggerLabels
{
    public static Localized Brief(string trigger) => trigger switch
    {
        IncidentTriggers.Sensitive => new("要配慮", "Sensitive"),
        IncidentTriggers.Financial => new("財産的被害", "Financial harm"),
        IncidentTriggers.UnlawfulPurpose => new("不正の目的", "Unlawful purpose"),
        IncidentTriggers.Over1000 => new("1,000人超", "Over 1,000"),
        _ => new(trigger, trigger),
    };
}
