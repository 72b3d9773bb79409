namespace FunctionsPortal.CorrectiveActions;

public enum TaskBoardOutcome
{
    Done,

    /// <summary>
    /// Throttled (429), unavailable (5xx), timed out, unreachable: try the same step later (after
    /// <see cref="TaskBoardStep{T}.RetryAfter"/> when the board said). A create may have happened: look the marker up first.
    /// </summary>
    RetryLater,

    /// <summary>412: the task or its details changed since they were read: read them again and retry.</summary>
    Conflict,

    /// <summary>404: the task (or its details) no longer exists on the board.</summary>
    NotFound,

    /// <summary>401/403: the app lacks a permission (Tasks.ReadWrite.All or Group.ReadWrite.All); nothing was decided.</summary>
    Refused,

    /// <summary>Any other 4xx: the board will never accept this request as it is (e.g. an unknown assignee).</summary>
    Rejected,
}

/// <summary>What one call to the board came to: its outcome, its value when done, when to try again, a sentence for staff.</summary>
public sealed record TaskBoardStep<T>(TaskBoardOutcome Outcome, T? Value, TimeSpan? RetryAfter, string? Detail)
{
    public bool IsDone => Outcome == TaskBoardOutcome.Done;
}

public static class TaskBoardStep
{
    public static TaskBoardStep<T> Done<T>(T value) => new(TaskBoardOutcome.Done, value, null, null);

    public static TaskBoardStep<T> RetryLater<T>(string detail, TimeSpan? retryAfter = null) => new(TaskBoardOutcome.RetryLater, default, retryAfter, detail);

    public static TaskBoardStep<T> Fail<T>(TaskBoardOutcome outcome, string detail) => new(outcome, default, null, detail);

    /// <summary>The same failure, as a step of another type.</summary>
    public static TaskBoardStep<TOther> Failed<T, TOther>(TaskBoardStep<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.IsDone ? throw new InvalidOperationException("A done step has a value; map it instead.") : new(step.Outcome, default, step.RetryAfter, step.Detail);
    }
}

/// <summary>A task on the board: its id, title, the ETag to write it with, progress (0, 50, 100), assignees, due date, priority.</summary>
public sealed record BoardTask(
    string Id, string Title, string ETag, int PercentComplete, IReadOnlyList<string> AssigneeIds, DateOnly? DueOn, int? Priority, DateTimeOffset? CompletedAt)
{
    /// <summary>The action this task is for (from its title's marker); null for other tasks.</summary>
    public string? ActionId => ActionTaskRequest.ActionIdOf(Title);

    public ActionTaskSnapshot ToSnapshot() => new(ActionId ?? throw new InvalidOperationException($"Task {Id} carries no marker."), Id, PercentComplete, AssigneeIds, DueOn, CompletedAt);
}

/// <summary>A task's details: the ETag to write them with, the description and the checklist items' titles.</summary>
public sealed record BoardTaskDetails(string TaskId, string ETag, string? Description, IReadOnlyList<string> Checklist);

/// <summary>One page of marked tasks and where the next page is (null on the last).</summary>
public sealed record TaskListPage(IReadOnlyList<BoardTask> Tasks, string? Next);
