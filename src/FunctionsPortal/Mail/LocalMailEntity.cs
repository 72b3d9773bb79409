using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Mail;

/// <summary>Table "localmail": the local outbox (PartitionKey "mail", RowKey = draft id, newest-first sortable).</summary>
internal sealed class LocalMailEntity : ITableEntity
{
    public const string Partition = "mail";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string OutboxKey { get; set; } = "";

    public string To { get; set; } = "";

    /// <summary>The recipient's company, stored with the mail so the outbox list needs no registry read per row.</summary>
    public string? Company { get; set; }

    public string Cc { get; set; } = "";

    public string Subject { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public string TextBody { get; set; } = "";

    public bool Sent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? EmlPath { get; set; }
}
