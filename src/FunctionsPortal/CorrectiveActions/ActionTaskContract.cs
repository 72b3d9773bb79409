namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// The task a corrective action asks for on the task board (Planner, or the local task list): the title carries the
/// action's stable marker (<see cref="Marker"/>), which is how a task whose creation had an unknown outcome is found again.
/// </summary>
public sealed record ActionTaskRequest(
    string ActionId, string Title, string Description, DateOnly DueOn, string? AssigneeId, int Priority, IReadOnlyList<string> Checklist)
{
    /// <summary>The marker every task title starts with: <c>[CA-{actionId}]</c>.</summary>
    public static string Marker(string actionId) => $"[CA-{actionId}]";

    /// <summary>The action id of a title that starts with a marker; null for any other task in the plan.</summary>
    public static string? ActionIdOf(string? title) =>
        title is not null && title.StartsWith("[CA-", StringComparison.Ordinal) && title.IndexOf(']', StringComparison.Ordinal) is > 4 and var end
            ? title[4..end]
            : null;
}

/// <summary>What the task board says about an action's task: progress (0, 50 or 100), assignees, due date, completion.</summary>
public sealed record ActionTaskSnapshot(
    string ActionId, string TaskId, int PercentComplete, IReadOnlyList<string> AssigneeIds, DateOnly? DueOn, DateTimeOffset? CompletedAt);

/// <summary>
/// How the task side tells the corrective actions what happened: a task was created for an action, or the board was
/// read and shows this state. The actions decide whether a task completed on the board must be reopened (completed
/// while the vendor's remediation is not verified).
/// </summary>
public interface IActionTaskEvents
{
    Task TaskCreatedAsync(string actionId, string taskId, CancellationToken cancellationToken);

    /// <returns>True when the task must be reopened on the board ("closed without evidence" and reopening is configured).</returns>
    Task<bool> TaskObservedAsync(ActionTaskSnapshot snapshot, CancellationToken cancellationToken);
}

/// <summary>The task outbox as the corrective actions use it: open an action's task (once), complete it (once).</summary>
public interface IActionTaskOutbox
{
    Task OpenAsync(ActionTaskRequest request, CancellationToken cancellationToken);

    Task CompleteAsync(string actionId, CancellationToken cancellationToken);
}
