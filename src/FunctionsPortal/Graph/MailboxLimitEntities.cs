using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Graph;

/// <summary>
/// Table "maillimits", row "rate" of a sender mailbox (PartitionKey = the address in lower case, URL-encoded): what every instance
/// needs to pace that mailbox. Changed only with its ETag (read, decide, replace-if-unchanged).
/// </summary>
internal sealed class MailboxRateEntity : ITableEntity
{
    public const string Row = "rate";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The earliest moment the next send may start (the "theoretical arrival time" of a paced sender).</summary>
    public DateTimeOffset? NextSendAt { get; set; }

    /// <summary>The last turn handed to a deferred mail: the next deferred one is told to come back one spacing later.</summary>
    public DateTimeOffset? BookedUntil { get; set; }

    /// <summary>The hour (UTC, on the hour) the first number of <see cref="RecipientsByHour"/> counts.</summary>
    public DateTimeOffset? NewestHour { get; set; }

    /// <summary>Recipients sent per hour, newest hour first, comma-separated; at most <see cref="MailboxRate.Hours"/> hours.</summary>
    public string RecipientsByHour { get; set; } = "";

    public MailboxRateEntity Copy() => (MailboxRateEntity)MemberwiseClone();
}

/// <summary>
/// Table "maillimits", row "slot-{n}" of a sender mailbox: one of its concurrent-request slots, leased to an instance
/// until <see cref="LeaseUntil"/> (null: free). A lease runs out by itself, so a crashed instance frees its slots.
/// </summary>
internal sealed class MailboxSlotEntity : ITableEntity
{
    public const string RowPrefix = "slot-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Which instance holds it (for people reading the table; the ETag is what guards it).</summary>
    public string? Holder { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }
}
