using System.ComponentModel.DataAnnotations;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The rule table that computes a vendor's risk tier, and what each tier means for the survey plan. Staff can read
/// it (GET /api/risk-rules); operators change it in configuration (section <c>RiskTiers</c>).
/// </summary>
public sealed class RiskTierOptions : IValidatableObject
{
    public const string SectionName = "RiskTiers";

    [Range(1, 100)]
    public int HighAtLeast { get; set; }

    [Range(1, 100)]
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

/// <summary>How often a tier is surveyed and with which checklist (full or lite).</summary>
public sealed class SurveyPlan
{
    [Range(1, 12)]
    public int SurveysPerYear { get; set; } = 1;

    public string Checklist { get; set; } = "annual-full";
}
