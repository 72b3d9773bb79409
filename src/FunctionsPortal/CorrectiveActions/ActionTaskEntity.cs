using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Table "actiontasks": one outbox row per corrective action, written before any call to the board. PartitionKey =
/// the action id, RowKey = "task" (deterministic: opening an action twice finds the same row). The row moves pending →
/// created (task id saved) → detailed (description and checklist set) → completed, or ends deleted/rejected; a lease
/// (owner + until) lets exactly one worker act on it at a time.
/// </summary>
internal sealed class ActionTaskEntity : ITableEntity
{
    public const string Row = "task";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string State { get; set; } = ActionTaskStates.Pending;

    /// <summary>The board the task lives on ("planner" or "local").</summary>
    public string Board { get; set; } = "";

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>yyyy-MM-dd.</summary>
    public string DueOn { get; set; } = "";

    public string? AssigneeId { get; set; }

    public int Priority { get; set; }

    /// <summary>The checklist items' titles, as a JSON array.</summary>
    public string Checklist { get; set; } = "[]";

    public string? TaskId { get; set; }

    /// <summary>Persisted before each create call: a row that may already have created its task looks the marker up, never creates blindly.</summary>
    public int CreateAttempts { get; set; }

    /// <summary>Whether <see cref="IActionTaskEvents.TaskCreatedAsync"/> has been told about <see cref="TaskId"/>.</summary>
    public bool CreatedNotified { get; set; }

    /// <summary>The action asked for its task to be completed (set by CompleteAsync, whatever the state).</summary>
    public bool CompletionRequested { get; set; }

    public int Attempts { get; set; }

    /// <summary>Failures in a row at the current step: the exponent of the backoff, back to 0 when a step succeeds.</summary>
    public int Failures { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

public static class ActionTaskStates
{
    /// <summary>No task known yet.</summary>
    public const string Pending = "pending";

    /// <summary>The task exists (its id is saved); its description and checklist are not set yet.</summary>
    public const string Created = "created";

    /// <summary>The task carries its description and checklist; waiting for the action to be completed.</summary>
    public const string Detailed = "detailed";

    public const string Completed = "completed";

    /// <summary>The task was deleted on the board (404): nothing more to do; staff see it.</summary>
    public const string Deleted = "deleted";

    /// <summary>The board refused the request for good (e.g. an unknown assignee): staff must fix something.</summary>
    public const string Rejected = "rejected";

    public static bool IsFinal(string state) => state is Completed or Deleted or Rejected;
}
