using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// The task board when Planner is not configured: a table-backed task list that behaves like a Planner bucket
/// (create, details, progress 0/50/100, complete, reopen, list, ETags with If-Match), so the outbox and the sync run
/// the same code locally. Staff move tasks on /staff/actions/tasks (Development), as they would in Planner.
/// </summary>
public sealed class LocalTaskBoard(PortalStorage storage, TimeProvider timeProvider) : ITaskBoard
{
    public const string TableName = "localtasks";
    private const int PageSize = 100;

    private TableClient Table => storage.GetTable(TableName);

    public string Name => "local";

    public async Task<TaskBoardStep<BoardTask?>> FindByMarkerAsync(string actionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actionId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {LocalTaskEntity.Partition} and ActionId eq {actionId}");
        await foreach (var row in Table.QueryAsync<LocalTaskEntity>(filter, cancellationToken: cancellationToken))
        {
            return TaskBoardStep.Done<BoardTask?>(ToBoardTask(row));
        }

        return TaskBoardStep.Done<BoardTask?>(null);
    }

    public async Task<TaskBoardStep<BoardTask>> CreateAsync(ActionTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var row = new LocalTaskEntity
        {
            RowKey = "local-" + Guid.NewGuid().ToString("N")[..16],
            Title = request.Title,
            ActionId = ActionTaskRequest.ActionIdOf(request.Title),
            DueOn = request.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AssigneeId = request.AssigneeId,
            Priority = request.Priority,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await Table.TryAddAsync(row, cancellationToken);
        return TaskBoardStep.Done(ToBoardTask(row));
    }

    public async Task<TaskBoardStep<BoardTask>> GetTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        var row = await FindAsync(taskId, cancellationToken);
        return row is null ? NotFound<BoardTask>(taskId) : TaskBoardStep.Done(ToBoardTask(row));
    }

    public async Task<TaskBoardStep<BoardTaskDetails>> GetDetailsAsync(string taskId, CancellationToken cancellationToken)
    {
        var row = await FindAsync(taskId, cancellationToken);
        return row is null
            ? NotFound<BoardTaskDetails>(taskId)
            : TaskBoardStep.Done(new BoardTaskDetails(row.RowKey, row.ETag.ToString(), row.Description, Checklist(row)));
    }

    public Task<TaskBoardStep<bool>> UpdateDetailsAsync(string taskId, string etag, string description, IReadOnlyList<string> checklist, CancellationToken cancellationToken) =>
        WriteAsync(taskId, etag, row =>
        {
            row.Description = description;
            row.Checklist = JsonSerializer.Serialize(checklist);
        }, cancellationToken);

    public Task<TaskBoardStep<bool>> SetProgressAsync(string taskId, string etag, int percentComplete, CancellationToken cancellationToken) =>
        WriteAsync(taskId, etag, row => Progress(row, percentComplete, timeProvider.GetUtcNow()), cancellationToken);

    public async Task<TaskBoardStep<TaskListPage>> ListPageAsync(string? continuation, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {LocalTaskEntity.Partition}");
        await foreach (var page in Table.QueryAsync<LocalTaskEntity>(filter, maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages(continuation, PageSize))
        {
            var tasks = page.Values.Where(row => row.ActionId is not null).Select(ToBoardTask).ToList();
            return TaskBoardStep.Done(new TaskListPage(tasks, page.ContinuationToken));
        }

        return TaskBoardStep.Done(new TaskListPage([], null));
    }

    /// <summary>Every task, newest first, for the local page.</summary>
    public async Task<IReadOnlyList<LocalTask>> ListAllAsync(CancellationToken cancellationToken)
    {
        var tasks = new List<LocalTask>();
        await foreach (var row in Table.QueryAsync<LocalTaskEntity>(row => row.PartitionKey == LocalTaskEntity.Partition, cancellationToken: cancellationToken))
        {
            tasks.Add(new LocalTask(ToBoardTask(row), row.Description, Checklist(row), row.CreatedAt));
        }

        return [.. tasks.OrderByDescending(task => task.CreatedAt)];
    }

    /// <summary>What a person does on the board: moves the task to not started (0), in progress (50) or completed (100), whatever changed meanwhile.</summary>
    public async Task<bool> SetProgressAsStaffAsync(string taskId, int percentComplete, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var row = await Table.UpdateWithRetryAsync<LocalTaskEntity>(LocalTaskEntity.Partition, taskId, row => Progress(row, percentComplete, now), cancellationToken);
        return row is not null;
    }

    private static bool Progress(LocalTaskEntity row, int percentComplete, DateTimeOffset now)
    {
        if (percentComplete is not (0 or 50 or 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentComplete), percentComplete, "Progress is 0 (not started), 50 (in progress) or 100 (completed).");
        }

        if (row.PercentComplete == percentComplete)
        {
            return false;
        }

        row.PercentComplete = percentComplete;
        row.CompletedAt = percentComplete == 100 ? now : null;
        return true;
    }

    private async Task<TaskBoardStep<bool>> WriteAsync(string taskId, string etag, Action<LocalTaskEntity> change, CancellationToken cancellationToken)
    {
        var row = await FindAsync(taskId, cancellationToken);
        if (row is null)
        {
            return NotFound<bool>(taskId);
        }

        if (row.ETag != new ETag(etag))
        {
            return TaskBoardStep.Fail<bool>(TaskBoardOutcome.Conflict, $"Local task {taskId} changed since it was read.");
        }

        change(row);
        try
        {
            await Table.ReplaceIfUnchangedAsync(row, cancellationToken);
            return TaskBoardStep.Done(true);
        }
        catch (ConcurrencyConflictException)
        {
            return TaskBoardStep.Fail<bool>(TaskBoardOutcome.Conflict, $"Local task {taskId} changed since it was read.");
        }
    }

    private async Task<LocalTaskEntity?> FindAsync(string taskId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        var row = await Table.GetEntityIfExistsAsync<LocalTaskEntity>(LocalTaskEntity.Partition, taskId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static TaskBoardStep<T> NotFound<T>(string taskId) => TaskBoardStep.Fail<T>(TaskBoardOutcome.NotFound, $"Local task {taskId} does not exist.");

    private static IReadOnlyList<string> Checklist(LocalTaskEntity row) => JsonSerializer.Deserialize<List<string>>(row.Checklist) ?? [];

    private static BoardTask ToBoardTask(LocalTaskEntity row) => new(
        row.RowKey,
        row.Title,
        row.ETag.ToString(),
        row.PercentComplete,
        row.AssigneeId is { Length: > 0 } assignee ? [assignee] : [],
        row.DueOn is { } due ? DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        row.Priority,
        row.CompletedAt);
}

/// <summary>A local task with its details, for the local task list page.</summary>
public sealed record LocalTask(BoardTask Task, string? Description, IReadOnlyList<string> Checklist, DateTimeOffset CreatedAt);
