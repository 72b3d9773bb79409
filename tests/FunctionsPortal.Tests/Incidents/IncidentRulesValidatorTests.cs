using FunctionsPortal.Incidents;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The rules table is data: the app refuses to start on one it cannot apply, and says which entry is wrong.</summary>
public sealed class IncidentRulesValidatorTests
{
    private static readonly IncidentRulesValidator Validator = new();

    [Fact]
    public void TheShippedTableIsValidAndCitesEveryTrigger()
    {
        var rules = IncidentRulesTable.Shipped;

        Assert.True(Validator.Validate(null, rules).Succeeded);
        Assert.Equal(IncidentTriggers.All, rules.Triggers.Select(trigger => trigger.Id));
        Assert.All(rules.Triggers, trigger => Assert.StartsWith("個人情報保護法施行規則7条", trigger.Source, StringComparison.Ordinal));
        Assert.Equal((1000L, 3, 5, 30, 60), (rules.PeopleThreshold, rules.PreliminaryFromDays, rules.PreliminaryByDays, rules.FinalDays, rules.FinalDaysUnlawfulPurpose));
    }

    [Fact]
    public void BadEntriesAreNamed()
    {
        var rules = Copy(IncidentRulesTable.Shipped);
        rules.Triggers[1].Id = "finacial";
        rules.Triggers[2].Source = "";
        rules.FinalDaysUnlawfulPurpose = 20;
        rules.ClosedDays = "weekends";

        var failures = Validator.Validate(null, rules).Failures!.ToList();

        Assert.Contains(failures, failure => failure.Contains("Triggers:1 ('finacial')", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.Contains("Triggers:2 ('unlawful-purpose'): Ja, En and Source are required", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.Contains("the trigger 'financial' is missing", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.Contains("FinalDaysUnlawfulPurpose", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.Contains("ClosedDays", StringComparison.Ordinal));
        Assert.Equal(5, failures.Count);
    }

    private static IncidentRules Copy(IncidentRules rules) => new()
    {
        Triggers = [.. rules.Triggers.Select(trigger => new IncidentTriggerRule { Id = trigger.Id, Ja = trigger.Ja, En = trigger.En, Source = trigger.Source })],
        PeopleThreshold = rules.PeopleThreshold,
        PreliminaryFromDays = rules.PreliminaryFromDays,
        PreliminaryByDays = rules.PreliminaryByDays,
        FinalDays = rules.FinalDays,
        FinalDaysUnlawfulPurpose = rules.FinalDaysUnlawfulPurpose,
        ClosedDays = rules.ClosedDays,
    };
}
