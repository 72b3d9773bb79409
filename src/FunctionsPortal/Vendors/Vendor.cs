namespace FunctionsPortal.Vendors;

/// <summary>A vendor (委託先) or, when <see cref="ParentVendorId"/> is set, one of its subcontractors (再委託先).</summary>
public sealed record Vendor(
    string Id,
    string LegalNameJa,
    string? LegalNameEn,
    string? CorporateNumber,
    string Category,
    string OfficerName,
    string OfficerEmail,
    string CountryCode,
    string? ParentVendorId,
    string LifecycleStatus)
{
    public bool IsSubcontractor => ParentVendorId is not null;
}
