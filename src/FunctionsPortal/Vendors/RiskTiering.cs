using FunctionsPortal.Checklists;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Vendors;

/// <summary>Computes a vendor's risk tier from the rule table, with the reasons that produced it.</summary>
public sealed class RiskTiering(IOptions<RiskTierOptions> options)
{
    public RiskTierOptions Table => options.Value;

    public RiskAssessment Assess(VendorProfile profile, RiskTierOverride? riskOverride)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var table = options.Value;
        var reasons = table.Rules.Where(rule => Holds(rule, profile))
            .Select(rule => new RiskReason(rule.Id, rule.Points, rule.ReasonJa, rule.ReasonEn))
            .ToList();
        var points = reasons.Sum(reason => reason.Points);
        var computed = points >= table.HighAtLeast ? "high" : points >= table.MediumAtLeast ? "medium" : "low";
        var effective = riskOverride?.Tier ?? computed;
        return new RiskAssessment(computed, points, reasons, riskOverride, effective, table.Plans[effective]);
    }

    private static bool Holds(RiskRule rule, VendorProfile profile) =>
        (rule.VendorFlag is null || profile.Has(rule.VendorFlag))
        && (rule.NotVendorFlag is null || !profile.Has(rule.NotVendorFlag))
        && (rule.DataCategoryAny is null || rule.DataCategoryAny.Any(profile.DataCategories.Contains))
        && (rule.BusinessCategoryAny is null || rule.BusinessCategoryAny.Contains(profile.BusinessCategory, StringComparer.Ordinal))
        && (rule.RecordsAtLeast is null || profile.ApproximateRecords >= rule.RecordsAtLeast);
}

public sealed record RiskReason(string RuleId, int Points, string Ja, string En);

public sealed record RiskAssessment(
    string ComputedTier,
    int Points,
    IReadOnlyList<RiskReason> Reasons,
    RiskTierOverride? Override,
    string EffectiveTier,
    SurveyPlan Plan);
