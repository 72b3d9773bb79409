using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Operations;

/// <summary>One poison message already reported. PartitionKey = poison queue name, RowKey = message id.</summary>
internal sealed class PoisonReportEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset? InsertedOn { get; set; }

    public long DequeueCount { get; set; }

    public DateTimeOffset FirstReportedAt { get; set; }

    public string BodyPreview { get; set; } = "";
}
