using FunctionsPortal.Checklists;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Shell;

/// <summary>The registry's vocabulary as staff read it, in both languages.</summary>
public static class VendorLabels
{
    public static Localized Tier(string tier) => tier switch
    {
        "high" => new("高", "High"),
        "medium" => new("中", "Medium"),
        "low" => new("低", "Low"),
        _ => new(tier, tier),
    };

    public static Localized Lifecycle(string status) => status switch
    {
        "onboarding" => new("取引開始前", "Onboarding"),
        "active" => new("取引中", "Active"),
        "terminating" => new("終了手続中", "Terminating"),
        "terminated" => new("取引終了", "Terminated"),
        _ => new(status, status),
    };

    public static Localized Category(string category) => category switch
    {
        "agency-shop" => new("代理店・販売店", "Agency or shop"),
        "call-centre" => new("コールセンター", "Call centre"),
        "telemarketing" => new("テレマーケティング", "Telemarketing"),
        "it-development" => new("システム開発", "IT development"),
        "it-operations" => new("システム運用・保守", "IT operations"),
        "cloud-service" => new("クラウドサービス", "Cloud service"),
        "bpo" => new("BPO・事務処理", "BPO"),
        "other" => new("その他", "Other"),
        _ => new(category, category),
    };

    public static Localized DataCategory(string category)
    {
        var (ja, en) = VendorVocabulary.DataCategoryLabel(category);
        return new(ja, en);
    }

    /// <summary>A subcontractor's prior approval, worded as its vendor reads it (none recorded: 未申請).</summary>
    public static Localized Approval(string? status) => ApprovalStatuses.Label(status);
}
