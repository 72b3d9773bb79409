using FunctionsPortal.Checklists;

namespace FunctionsPortal.Subcontractors;

/// <summary>A subcontracting's prior approval as vendors and staff read it: none recorded is "not requested", never "approved".</summary>
public static class ApprovalStatuses
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static Localized Label(string? status) => status switch
    {
        null => new("未申請", "Not requested"),
        Requested => new("承認待ち", "Awaiting approval"),
        Approved => new("承認済み", "Approved"),
        Rejected => new("不承認", "Not approved"),
        _ => new(status, status),
    };
}
