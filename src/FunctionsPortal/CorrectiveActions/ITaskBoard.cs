namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Where corrective-action tasks live: Microsoft Planner (GraphPlannerTaskBoard) or the local task list
/// (<see cref="LocalTaskBoard"/>). Nothing here retries: every failure is a <see cref="TaskBoardStep{T}"/> and the
/// outbox (<see cref="ActionTasks"/>) decides. Writes to an existing task or its details carry the ETag last read
/// (If-Match); a stale one answers <see cref="TaskBoardOutcome.Conflict"/>.
/// </summary>
public interface ITaskBoard
{
    /// <summary>"planner" or "local"; shown to staff and in logs.</summary>
    string Name { get; }

    /// <summary>The task whose title carries the action's marker in the configured bucket, or null (Done with no value).</summary>
    Task<TaskBoardStep<BoardTask?>> FindByMarkerAsync(string actionId, CancellationToken cancellationToken);

    /// <summary>Creates the task (title with marker, due date, assignee, priority) in the configured plan and bucket.</summary>
    Task<TaskBoardStep<BoardTask>> CreateAsync(ActionTaskRequest request, CancellationToken cancellationToken);

    Task<TaskBoardStep<BoardTask>> GetTaskAsync(string taskId, CancellationToken cancellationToken);

    Task<TaskBoardStep<BoardTaskDetails>> GetDetailsAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Sets the description and checklist (If-Match <paramref name="etag"/>, from <see cref="GetDetailsAsync"/>).</summary>
    Task<TaskBoardStep<bool>> UpdateDetailsAsync(string taskId, string etag, string description, IReadOnlyList<string> checklist, CancellationToken cancellationToken);

    /// <summary>Sets the task's progress: 100 completes it, 50 (in progress) reopens it (If-Match <paramref name="etag"/>, from <see cref="GetTaskAsync"/>).</summary>
    Task<TaskBoardStep<bool>> SetProgressAsync(string taskId, string etag, int percentComplete, CancellationToken cancellationToken);

    /// <summary>One page of the plan's tasks that carry a marker; pass the returned <see cref="TaskListPage.Next"/> as <paramref name="continuation"/> for the next page.</summary>
    Task<TaskBoardStep<TaskListPage>> ListPageAsync(string? continuation, CancellationToken cancellationToken);
}
