using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Checklists;

/// <summary>
/// Table "checklists": PartitionKey = checklist id, RowKey = "v0001" (zero-padded so versions sort). The definition
/// itself (often over the 64 KiB a table property holds) is a content-addressed blob in container "checklists".
/// </summary>
internal sealed class ChecklistEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = "";

    public string TitleJa { get; set; } = "";

    public string TitleEn { get; set; } = "";

    public string? DerivedFromId { get; set; }

    public int? DerivedFromVersion { get; set; }

    public string BlobName { get; set; } = "";

    public string ContentHash { get; set; } = "";

    public int ItemCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    /// <summary>Set when a survey first uses this version; from then on it never changes.</summary>
    public DateTimeOffset? FirstUsedAt { get; set; }

    public string? FirstUsedBy { get; set; }

    public static string VersionKey(int version) => $"v{version:D4}";
}
