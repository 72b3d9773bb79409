using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The rule table that computes a vendor's risk tier, and what each tier means for the survey plan. Staff can read
/// it (GET /api/risk-rules); operators change it in configuration (section <c>RiskTiers</c>).
/// </summary>
public sealed class RiskTierOptions : IValidatableObject
{
    public const string SectionName = "RiskTiers";

    [SettingRange(1, 100)]
    public int HighAtLeast { get; set; }

    [SettingRange(1, 100)]
    public int MediumAtLeast { get; set; }

    public List<RiskRule> Rules { get; set; } = [];

    public Dictionary<string, SurveyPlan> Plans { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MediumAtLeast >= HighAtLeast)
        {
            yield return new ValidationResult("RiskTiers:MediumAtLeast must be lower than RiskTiers:HighAtLeast.");
        }

        if (Rules.Count == 0)
        {
            yield return new ValidationResult("RiskTiers:Rules is empty.");
        }

        foreach (var duplicate in Rules.GroupBy(rule => rule.Id, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            yield return new ValidationResult($"RiskTiers:Rules has the id '{duplicate.Key}' twice.");
        }

        foreach (var rule in Rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Id) || string.IsNullOrWhiteSpace(rule.ReasonJa) || string.IsNullOrWhiteSpace(rule.ReasonEn))
            {
                yield return new ValidationResult($"RiskTiers rule '{rule.Id}' needs an Id, ReasonJa and ReasonEn.");
            }

            if (rule.VendorFlag is null && rule.NotVendorFlag is null && rule.DataCategoryAny is null && rule.BusinessCategoryAny is null && rule.RecordsAtLeast is null)
            {
                yield return new ValidationResult($"RiskTiers rule '{rule.Id}' has no condition.");
            }

            foreach (var flag in new[] { rule.VendorFlag, rule.NotVendorFlag }.OfType<string>().Where(flag => !Checklists.VendorProfile.KnownFlags.Contains(flag)))
            {
                yield return new ValidationResult($"RiskTiers rule '{rule.Id}': unknown vendor flag '{flag}'.");
            }
        }

        foreach (var tier in VendorVocabulary.RiskTiers.Where(tier => !Plans.ContainsKey(tier)))
        {
            yield return new ValidationResult($"RiskTiers:Plans has no plan for the '{tier}' tier.");
        }

        foreach (var (tier, plan) in Plans)
        {
            foreach (var problem in plan.Problems($"RiskTiers:Plans:{tier}"))
            {
                yield return new ValidationResult(problem);
            }
        }
    }
}

/// <summary>One row of the rule table: when every given condition holds, the vendor gets the points.</summary>
public sealed class RiskRule
{
    public string Id { get; set; } = "";

    public int Points { get; set; }

    public string? VendorFlag { get; set; }

    public string? NotVendorFlag { get; set; }

    public List<string>? DataCategoryAny { get; set; }

    public List<string>? BusinessCategoryAny { get; set; }

    public long? RecordsAtLeast { get; set; }

    public string ReasonJa { get; set; } = "";

    public string ReasonEn { get; set; } = "";
}

/// <summary>
/// How often a tier is surveyed and with which checklists: <see cref="Checklist"/> (full or lite) in the period that
/// starts at the contract anniversary, and in the other periods the themed <see cref="InterimChecklists"/> in turn
/// (none given: <see cref="Checklist"/> in every period). The planner uses each checklist's latest version.
/// </summary>
public sealed class SurveyPlan
{
    [SettingRange(1, 12)]
    public int SurveysPerYear { get; set; } = 1;

    public string Checklist { get; set; } = "annual-full";

    public List<string> InterimChecklists { get; set; } = [];

    /// <summary>The checklist of a plan period: <paramref name="periodNumber"/> 0 is the anniversary's, 1.. the interim periods'.</summary>
    public string ChecklistFor(int periodNumber) =>
        periodNumber == 0 || InterimChecklists.Count == 0 ? Checklist : InterimChecklists[(periodNumber - 1) % InterimChecklists.Count];

    /// <summary>
    /// What can be checked without storage: ids given, not repeated, interim checklists only where there are interim
    /// periods, and a default checklist's id used for its own kind. Ids the defaults do not know are checked at planning.
    /// </summary>
    public IEnumerable<string> Problems(string setting)
    {
        if (string.IsNullOrWhiteSpace(Checklist))
        {
            yield return $"{setting}:Checklist is empty.";
        }
        else if (DefaultKindOf(Checklist) is { } kind && kind != "annual")
        {
            yield return $"{setting}:Checklist is '{Checklist}', a checklist of kind '{kind}'; the anniversary period needs an annual one (annual-full, annual-lite).";
        }

        if (InterimChecklists.Count > 0 && SurveysPerYear < 2)
        {
            yield return $"{setting}:InterimChecklists is set but SurveysPerYear is {SurveysPerYear}: a plan with one survey a year has no interim period.";
        }

        foreach (var id in InterimChecklists.Where(string.IsNullOrWhiteSpace).Take(1))
        {
            yield return $"{setting}:InterimChecklists has an empty entry.";
        }

        foreach (var duplicate in InterimChecklists.GroupBy(id => id, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            yield return $"{setting}:InterimChecklists names '{duplicate.Key}' twice.";
        }

        foreach (var id in InterimChecklists.Where(id => DefaultKindOf(id) is { } kind && kind != "interim"))
        {
            yield return $"{setting}:InterimChecklists names '{id}', a checklist of kind '{DefaultKindOf(id)}'; interim periods take interim checklists (interim-physical, interim-technical).";
        }
    }

    private static string? DefaultKindOf(string id) => Checklists.DefaultChecklists.KindOf(id);
}

/// <summary>Checks <see cref="RiskTierOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateRiskTierOptions : IValidateOptions<RiskTierOptions>;
