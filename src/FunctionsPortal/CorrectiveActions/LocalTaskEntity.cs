using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Table "localtasks": the local stand-in for a Planner plan. PartitionKey = "tasks" (one small list, read whole),
/// RowKey = the task id. The row's ETag is both the task's and its details' ETag, so any edit makes the other stale
/// (Planner keeps two; one is stricter and still honest).
/// </summary>
internal sealed class LocalTaskEntity : ITableEntity
{
    public const string Partition = "tasks";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The action id of the title's marker, so a marker lookup is one filtered query; null for unmarked tasks.</summary>
    public string? ActionId { get; set; }

    public string? Description { get; set; }

    /// <summary>The checklist items' titles, as a JSON array.</summary>
    public string Checklist { get; set; } = "[]";

    /// <summary>yyyy-MM-dd.</summary>
    public string? DueOn { get; set; }

    public string? AssigneeId { get; set; }

    public int Priority { get; set; }

    public int PercentComplete { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
