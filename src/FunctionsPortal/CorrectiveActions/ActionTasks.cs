using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Exactly one board task per corrective action. The board has no idempotency key, so: the outbox row exists before any
/// call to the board (deterministic key = action id), a lease lets one worker act at a time, a create attempt is
/// recorded before the call, and a row whose create may already have happened looks its marker up in the bucket
/// instead of creating again. Writes to the task carry its ETag (412: read again, retry). Throttling and outages only
/// defer the row (<see cref="DriveDueAsync"/> picks it up again, from the sync timer); nothing waits in-process.
/// </summary>
public sealed partial class ActionTasks(
    PortalStorage storage,
    ITaskBoard board,
    IActionTaskEvents events,
    IOptions<ActionTaskOptions> options,
    TimeProvider timeProvider,
    ILogger<ActionTasks> logger) : IActionTaskOutbox
{
    public const string TableName = "actiontasks";
    private const int ConflictRetries = 3;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(15);

    /// <summary>NextAttemptAt of a row with nothing to do until the action is completed (far future: never due).</summary>
    private static readonly DateTimeOffset Parked = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private TableClient Table => storage.GetTable(TableName);

    async Task IActionTaskOutbox.OpenAsync(ActionTaskRequest request, CancellationToken cancellationToken) => await OpenAsync(request, cancellationToken);

    async Task IActionTaskOutbox.CompleteAsync(string actionId, CancellationToken cancellationToken) => await CompleteAsync(actionId, cancellationToken);

    /// <summary>Makes sure the action has its outbox row (once; a second call keeps the first request) and pushes it as far as it can go now.</summary>
    public async Task<ActionTaskStatus> OpenAsync(ActionTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ActionId);
        if (ActionTaskRequest.ActionIdOf(request.Title) != request.ActionId)
        {
            throw new ArgumentException($"The task title must start with {ActionTaskRequest.Marker(request.ActionId)}.", nameof(request));
        }

        var now = timeProvider.GetUtcNow();
        var row = new ActionTaskEntity
        {
            PartitionKey = request.ActionId,
            Board = board.Name,
            Title = request.Title,
            Description = request.Description,
            DueOn = request.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AssigneeId = request.AssigneeId,
            Priority = request.Priority,
            Checklist = JsonSerializer.Serialize(request.Checklist),
            NextAttemptAt = now,
            CreatedAt = now,
        };
        var added = await Table.TryAddAsync(row, cancellationToken);
        return await DriveAsync(request.ActionId, added ? row : null, cancellationToken);
    }

    /// <summary>
    /// Completes the action's task, once: recorded on the row first, so a completion asked for before the task exists
    /// is applied when it does. Null when the action was never opened.
    /// </summary>
    public async Task<ActionTaskStatus?> CompleteAsync(string actionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actionId);
        var now = timeProvider.GetUtcNow();
        var row = await Table.UpdateWithRetryAsync<ActionTaskEntity>(actionId, ActionTaskEntity.Row, entity =>
        {
            if (entity.CompletionRequested || ActionTaskStates.IsFinal(entity.State))
            {
                return false;
            }

            entity.CompletionRequested = true;
            // A parked row is due now; a deferred one keeps its time (the board's Retry-After still holds).
            if (entity.NextAttemptAt == Parked)
            {
                entity.NextAttemptAt = now;
            }

            return true;
        }, cancellationToken);
        return row is null ? null : await DriveAsync(actionId, null, cancellationToken);
    }

    /// <summary>Pushes an existing row as far as it can go (the sweep uses it for deferred and abandoned rows).</summary>
    public Task<ActionTaskStatus> DriveAsync(string actionId, CancellationToken cancellationToken) => DriveAsync(actionId, null, cancellationToken);

    public async Task<ActionTaskStatus?> StatusAsync(string actionId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ActionTaskEntity>(actionId, ActionTaskEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? Status(row.Value!) : null;
    }

    /// <summary>Action ids of rows that are due now and that no live worker holds, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var filter = TableClient.CreateQueryFilter(
            $"State ne {ActionTaskStates.Completed} and State ne {ActionTaskStates.Deleted} and State ne {ActionTaskStates.Rejected} and NextAttemptAt le {now}");
        var due = new List<string>();
        await foreach (var row in Table.QueryAsync<ActionTaskEntity>(filter, maxPerPage: Math.Min(limit, 1000), select: ["PartitionKey", "LeaseUntil"], cancellationToken: cancellationToken))
        {
            if (row.LeaseUntil is null || row.LeaseUntil <= now)
            {
                due.Add(row.PartitionKey);
            }

            if (due.Count >= limit)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Drives every due row (deferred by throttling, an outage or an unknown outcome, or abandoned by a crashed worker); returns how many.</summary>
    public async Task<int> DriveDueAsync(int limit, CancellationToken cancellationToken)
    {
        var due = await DueAsync(limit, cancellationToken);
        foreach (var actionId in due)
        {
            await DriveAsync(actionId, null, cancellationToken);
        }

        return due.Count;
    }

    /// <summary>
    /// Reads the plan's marked tasks and tells the actions what each shows; a task the actions want reopened (completed
    /// without verified remediation) is set back to in progress, guarded by its ETag so duplicate runs reopen it once.
    /// </summary>
    public async Task<TaskSyncReport> SyncAsync(CancellationToken cancellationToken)
    {
        var observed = 0;
        var reopened = 0;
        string? next = null;
        do
        {
            var page = await board.ListPageAsync(next, cancellationToken);
            if (!page.IsDone)
            {
                // The next run starts over; observing a task twice is harmless.
                LogSyncStopped(board.Name, page.Outcome, page.Detail);
                return new TaskSyncReport(observed, reopened, Finished: false);
            }

            foreach (var task in page.Value!.Tasks.Where(task => task.ActionId is not null))
            {
                observed++;
                if (await events.TaskObservedAsync(task.ToSnapshot(), cancellationToken) && await ReopenAsync(task.Id, cancellationToken))
                {
                    reopened++;
                }
            }

            next = page.Value.Next;
        }
        while (next is not null);

        return new TaskSyncReport(observed, reopened, Finished: true);
    }

    /// <summary>Sets a completed task back to in progress (50); false when it is not completed (any more) or the board did not answer.</summary>
    public async Task<bool> ReopenAsync(string taskId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ConflictRetries; attempt++)
        {
            var task = await board.GetTaskAsync(taskId, cancellationToken);
            if (!task.IsDone)
            {
                LogReopenFailed(taskId, task.Outcome, task.Detail);
                return false;
            }

            if (task.Value!.PercentComplete < 100)
            {
                return false; // reopened already (another run, or a person)
            }

            var reopened = await board.SetProgressAsync(taskId, task.Value.ETag, 50, cancellationToken);
            if (reopened.IsDone)
            {
                LogReopened(taskId, task.Value.ActionId);
                return true;
            }

            if (reopened.Outcome != TaskBoardOutcome.Conflict)
            {
                LogReopenFailed(taskId, reopened.Outcome, reopened.Detail);
                return false;
            }
        }

        return false;
    }

    private async Task<ActionTaskStatus> DriveAsync(string actionId, ActionTaskEntity? known, CancellationToken cancellationToken)
    {
        // One lease owner per call, not per process: two calls in one process are two workers.
        var worker = Guid.NewGuid().ToString("N")[..12];
        for (var claims = 0; claims < 8; claims++)
        {
            var entity = known ?? await ReadAsync(actionId, cancellationToken);
            known = null;
            var now = timeProvider.GetUtcNow();
            if (ActionTaskStates.IsFinal(entity.State))
            {
                return Status(entity);
            }

            if (entity.LeaseUntil > now && entity.LeaseOwner != worker)
            {
                return Status(entity) with { Problem = "Another worker is driving this task." };
            }

            if (entity.NextAttemptAt > now)
            {
                return Status(entity);
            }

            // Claim: only one worker gets past this write (the ETag changes under everyone else).
            entity.LeaseOwner = worker;
            entity.LeaseUntil = now + options.Value.Lease;
            var mustLookUp = Prepare(entity);
            try
            {
                entity.ETag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // someone else moved it: look again
            }

            // Holding the lease, take as many steps as can go now; each step's result is written (with the next
            // step's preparation) before the next step runs.
            for (var step = 0; step < 8; step++)
            {
                var progressed = await AdvanceAsync(entity, mustLookUp, cancellationToken);
                var done = !progressed || ActionTaskStates.IsFinal(entity.State);
                if (done)
                {
                    entity.LeaseOwner = null;
                    entity.LeaseUntil = null;
                }
                else
                {
                    mustLookUp = Prepare(entity);
                }

                try
                {
                    entity.ETag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    // Our lease expired and another worker took over while we waited on the board; it owns the row now.
                    LogLeaseLost(actionId);
                    return Status(entity) with { Problem = "Lease lost to another worker." };
                }

                if (done)
                {
                    return Status(entity);
                }
            }
        }

        throw new InvalidOperationException($"Action task row {actionId} did not settle.");
    }

    /// <summary>
    /// Readies the row for its next step (written before the step runs). A row whose create may already have happened
    /// looks the marker up first; otherwise the create attempt is recorded now, so a crash or an unknown outcome during
    /// the call means "look up", never "create again". Returns whether the next step must look up.
    /// </summary>
    private static bool Prepare(ActionTaskEntity entity)
    {
        entity.Attempts++;
        if (entity.State != ActionTaskStates.Pending)
        {
            return false;
        }

        if (entity.CreateAttempts > 0)
        {
            return true;
        }

        entity.CreateAttempts++;
        return false;
    }

    /// <returns>True when the row moved on and the next step can run now.</returns>
    private async Task<bool> AdvanceAsync(ActionTaskEntity entity, bool mustLookUp, CancellationToken cancellationToken)
    {
        switch (entity.State)
        {
            case ActionTaskStates.Pending when mustLookUp:
                var found = await board.FindByMarkerAsync(entity.PartitionKey, cancellationToken);
                if (!found.IsDone)
                {
                    return Fail(entity, found);
                }

                if (found.Value is { } existing)
                {
                    LogAdopted(entity.PartitionKey, existing.Id, board.Name);
                    Created(entity, existing.Id);
                    return true;
                }

                // Verified absent: creating is safe; the next preparation records the attempt before the call.
                entity.CreateAttempts = 0;
                return true;

            case ActionTaskStates.Pending:
                var created = await board.CreateAsync(Request(entity), cancellationToken);
                if (!created.IsDone)
                {
                    return Fail(entity, created);
                }

                LogCreated(entity.PartitionKey, created.Value!.Id, board.Name);
                Created(entity, created.Value.Id);
                return true;

            case ActionTaskStates.Created when !entity.CreatedNotified:
                await events.TaskCreatedAsync(entity.PartitionKey, entity.TaskId!, cancellationToken);
                entity.CreatedNotified = true;
                return true;

            case ActionTaskStates.Created:
                return await SetDetailsAsync(entity, cancellationToken);

            case ActionTaskStates.Detailed when entity.CompletionRequested:
                return await CompleteTaskAsync(entity, cancellationToken);

            default:
                entity.NextAttemptAt = Parked;
                return false;
        }
    }

    private async Task<bool> SetDetailsAsync(ActionTaskEntity entity, CancellationToken cancellationToken)
    {
        var checklist = JsonSerializer.Deserialize<List<string>>(entity.Checklist) ?? [];
        for (var attempt = 0; attempt < ConflictRetries; attempt++)
        {
            var details = await board.GetDetailsAsync(entity.TaskId!, cancellationToken);
            if (!details.IsDone)
            {
                return Fail(entity, details);
            }

            var updated = await board.UpdateDetailsAsync(entity.TaskId!, details.Value!.ETag, entity.Description, checklist, cancellationToken);
            if (updated.IsDone)
            {
                entity.State = ActionTaskStates.Detailed;
                Succeeded(entity);
                entity.NextAttemptAt = entity.CompletionRequested ? timeProvider.GetUtcNow() : Parked;
                return true;
            }

            if (updated.Outcome != TaskBoardOutcome.Conflict)
            {
                return Fail(entity, updated);
            }

            LogConflict(entity.PartitionKey, "details");
        }

        return Fail(entity, TaskBoardStep.RetryLater<bool>("The task details kept changing while they were being written."));
    }

    private async Task<bool> CompleteTaskAsync(ActionTaskEntity entity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ConflictRetries; attempt++)
        {
            var task = await board.GetTaskAsync(entity.TaskId!, cancellationToken);
            if (!task.IsDone)
            {
                return Fail(entity, task);
            }

            // Completed already (an earlier call whose answer was lost, or a person): completing again would be a second completion.
            var completed = task.Value!.PercentComplete == 100
                ? TaskBoardStep.Done(true)
                : await board.SetProgressAsync(entity.TaskId!, task.Value.ETag, 100, cancellationToken);
            if (completed.IsDone)
            {
                entity.State = ActionTaskStates.Completed;
                entity.CompletedAt = timeProvider.GetUtcNow();
                Succeeded(entity);
                LogCompleted(entity.PartitionKey, entity.TaskId!);
                return true;
            }

            if (completed.Outcome != TaskBoardOutcome.Conflict)
            {
                return Fail(entity, completed);
            }

            LogConflict(entity.PartitionKey, "task");
        }

        return Fail(entity, TaskBoardStep.RetryLater<bool>("The task kept changing while it was being completed."));
    }

    private void Created(ActionTaskEntity entity, string taskId)
    {
        entity.TaskId = taskId;
        entity.State = ActionTaskStates.Created;
        Succeeded(entity);
    }

    private void Succeeded(ActionTaskEntity entity)
    {
        entity.Failures = 0;
        entity.LastError = null;
        entity.NextAttemptAt = timeProvider.GetUtcNow();
    }

    /// <summary>Records a failed step: a deleted task or a refused request ends the row; anything else defers it.</summary>
    private bool Fail<T>(ActionTaskEntity entity, TaskBoardStep<T> step)
    {
        entity.LastError = step.Detail;
        switch (step.Outcome)
        {
            case TaskBoardOutcome.NotFound when entity.TaskId is not null:
                entity.State = ActionTaskStates.Deleted;
                LogEnded(entity.PartitionKey, entity.State, step.Detail);
                return false;
            case TaskBoardOutcome.Rejected:
                entity.State = ActionTaskStates.Rejected;
                LogEnded(entity.PartitionKey, entity.State, step.Detail);
                return false;
            default:
                Defer(entity, step.RetryAfter, step.Detail);
                return false;
        }
    }

    private void Defer(ActionTaskEntity entity, TimeSpan? retryAfter, string? reason)
    {
        // Honour Retry-After; otherwise exponential backoff with jitter so a storm of deferred rows does not return together.
        entity.Failures++;
        var baseDelay = options.Value.RetryBaseDelay;
        var backoff = TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Clamp(entity.Failures - 1, 0, 16))));
        var jitter = TimeSpan.FromTicks((long)(baseDelay.Ticks * Random.Shared.NextDouble() / 2));
        var delay = (retryAfter ?? backoff) + jitter;
        entity.NextAttemptAt = timeProvider.GetUtcNow() + delay;
        LogDeferred(entity.PartitionKey, entity.State, delay, reason);
    }

    private async Task<ActionTaskEntity> ReadAsync(string actionId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ActionTaskEntity>(actionId, ActionTaskEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value! : throw new InvalidOperationException($"Action task row {actionId} does not exist.");
    }

    private static ActionTaskRequest Request(ActionTaskEntity entity) => new(
        entity.PartitionKey,
        entity.Title,
        entity.Description,
        DateOnly.ParseExact(entity.DueOn, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        entity.AssigneeId,
        entity.Priority,
        JsonSerializer.Deserialize<List<string>>(entity.Checklist) ?? []);

    private static ActionTaskStatus Status(ActionTaskEntity entity) => new(
        entity.PartitionKey, entity.State, entity.TaskId, entity.Board, entity.CompletionRequested,
        ActionTaskStates.IsFinal(entity.State) || entity.NextAttemptAt == Parked ? null : entity.NextAttemptAt, entity.LastError);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: task {TaskId} created on the {Board} board")]
    private partial void LogCreated(string actionId, string taskId, string board);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: task {TaskId} found by its marker on the {Board} board after an unknown outcome; not created again")]
    private partial void LogAdopted(string actionId, string taskId, string board);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: task {TaskId} completed")]
    private partial void LogCompleted(string actionId, string taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId}: the {Part} changed since it was read (412); reading it again")]
    private partial void LogConflict(string actionId, string part);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} deferred in state {State} for {Delay}: {Reason}")]
    private partial void LogDeferred(string actionId, string state, TimeSpan delay, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: task row ended as {State}: {Reason}")]
    private partial void LogEnded(string actionId, string state, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Action {ActionId}: lease lost to another worker")]
    private partial void LogLeaseLost(string actionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} (action {ActionId}) reopened: completed on the board without verified remediation")]
    private partial void LogReopened(string taskId, string? actionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} could not be reopened now ({Outcome}: {Reason}); the next sync tries again")]
    private partial void LogReopenFailed(string taskId, TaskBoardOutcome outcome, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task sync with the {Board} board stopped ({Outcome}: {Reason}); the next run starts over")]
    private partial void LogSyncStopped(string board, TaskBoardOutcome outcome, string? reason);
}

/// <summary>
/// Where an action's task stands: its row state (<see cref="ActionTaskStates"/>), the task id once known, the board,
/// whether completion was asked for, when it is tried again (if it waits) and the last problem.
/// </summary>
public sealed record ActionTaskStatus(string ActionId, string State, string? TaskId, string Board, bool CompletionRequested, DateTimeOffset? RetryAt, string? Problem);

/// <summary>What one sync run did: tasks observed, tasks reopened, and whether it read the whole plan.</summary>
public sealed record TaskSyncReport(int Observed, int Reopened, bool Finished);
