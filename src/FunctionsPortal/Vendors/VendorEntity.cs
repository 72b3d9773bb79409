using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Vendors;

/// <summary>
/// Table "vendors", one partition ("vendor": the registry is hundreds to a few thousand rows, and one partition lets
/// a vendor and its corporate-number index row change in one transaction). RowKey "v-{id}" holds the record as JSON
/// plus a few columns for reading at a glance; RowKey "cn-{number}" reserves a corporate number for one vendor; RowKey
/// "h-{id}|…" keeps each version a change replaced; RowKey "l-{name as hex}!{id}" is the staff list's row (the record, its
/// tier as computed when written, the filter columns); "a-appr-{id}" and "a-cert-{date}-{id}" exist only for vendors that can
/// need attention; "s-{facet}!{value}!{id}" are the scope index (<see cref="VendorScopeIndex"/>); "m-…" are markers. Each is
/// written in the same transaction as the record.
/// </summary>
internal sealed class VendorEntity : ITableEntity
{
    public const string Partition = "vendor";
    public const string VendorPrefix = "v-";
    public const string CorporateNumberPrefix = "cn-";
    public const string HistoryPrefix = "h-";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The <see cref="Vendor"/> record as JSON.</summary>
    public string Data { get; set; } = "";

    /// <summary>The <see cref="RiskTierOverride"/> as JSON, when staff overrode the tier.</summary>
    public string? RiskOverride { get; set; }

    public string? ParentId { get; set; }

    public string NameJa { get; set; } = "";

    public string? CorporateNumber { get; set; }

    public string LifecycleStatus { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>On a corporate-number index row: the vendor that holds the number.</summary>
    public string? VendorId { get; set; }
}
