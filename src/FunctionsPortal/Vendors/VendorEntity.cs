using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Vendors;

/// <summary>Table row of a vendor. PartitionKey = "vendor" (the registry is small), RowKey = vendor id.</summary>
internal sealed class VendorEntity : ITableEntity
{
    public const string Partition = "vendor";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string LegalNameJa { get; set; } = "";

    public string? LegalNameEn { get; set; }

    public string? CorporateNumber { get; set; }

    public string Category { get; set; } = "";

    public string OfficerName { get; set; } = "";

    public string OfficerEmail { get; set; } = "";

    public string CountryCode { get; set; } = "JP";

    public string? ParentVendorId { get; set; }

    public string LifecycleStatus { get; set; } = "";

    public static VendorEntity From(Vendor vendor) => new()
    {
        RowKey = vendor.Id,
        LegalNameJa = vendor.LegalNameJa,
        LegalNameEn = vendor.LegalNameEn,
        CorporateNumber = vendor.CorporateNumber,
        Category = vendor.Category,
        OfficerName = vendor.OfficerName,
        OfficerEmail = vendor.OfficerEmail,
        CountryCode = vendor.CountryCode,
        ParentVendorId = vendor.ParentVendorId,
        LifecycleStatus = vendor.LifecycleStatus,
    };

    public Vendor ToVendor() => new(RowKey, LegalNameJa, LegalNameEn, CorporateNumber, Category, OfficerName, OfficerEmail, CountryCode, ParentVendorId, LifecycleStatus);
}
