namespace FunctionsPortal.Vendors;

/// <summary>The closed vocabularies of the registry (API, CSV and checklist applicability use the same words).</summary>
public static class VendorVocabulary
{
    public const string LifecycleOnboarding = "onboarding";

    public static readonly IReadOnlySet<string> BusinessCategories = Set("agency-shop", "call-centre", "telemarketing", "it-development", "it-operations", "cloud-service", "bpo", "other");

    public static readonly IReadOnlySet<string> DataCategories = Set("personal", "sensitive", "credit-card", "confidential-a", "confidential-b", "none");

    public static readonly IReadOnlySet<string> WorkLocations = Set("our-premises", "vendor-premises", "remote");

    public static readonly IReadOnlySet<string> LifecycleStatuses = Set(LifecycleOnboarding, "active", "terminating", "terminated");

    public static readonly IReadOnlySet<string> CertificationTypes = Set("privacymark", "iso27001", "ismap", "other");

    public static readonly IReadOnlySet<string> ApprovalStatuses = Set("requested", "approved", "rejected");

    public static readonly IReadOnlySet<string> RiskTiers = Set("high", "medium", "low");

    /// <summary>A data category in Japanese and English (reports and pages; an unknown id reads as itself).</summary>
    public static (string Ja, string En) DataCategoryLabel(string category) => category switch
    {
        "personal" => ("個人データ", "Personal data"),
        "sensitive" => ("要配慮個人情報", "Sensitive personal data"),
        "credit-card" => ("クレジットカード情報", "Credit card data"),
        "confidential-a" => ("機密A", "Confidential A"),
        "confidential-b" => ("機密B", "Confidential B"),
        "none" => ("個人データなし", "No personal data"),
        _ => (category, category),
    };

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);
}
