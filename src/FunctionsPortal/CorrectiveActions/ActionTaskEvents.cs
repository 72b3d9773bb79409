using FunctionsPortal.Audit;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// What the task side reports, mirrored into the actions: the task's id once created, then progress, assignees and due
/// date as the board shows them. A task completed on the board while the remediation is not verified is flagged
/// "closed without evidence" (once, audited) and, when configured, reopened.
/// </summary>
public sealed class ActionTaskEvents(CorrectiveActionStore actions, AuditTrail audit, IOptions<CorrectiveActionOptions> options, TimeProvider clock) : IActionTaskEvents
{
    public async Task TaskCreatedAsync(string actionId, string taskId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await actions.UpdateAsync(actionId, action => action.Task is not null ? null : action with
        {
            Task = new ActionTask(taskId, 0, action.Owner.EntraObjectId is { } owner ? [owner] : [], action.DueOn, null, now),
            History = [.. action.History, new ActionEvent(now, "portal", "task-created", taskId)],
        }, cancellationToken);
    }

    public async Task<bool> TaskObservedAsync(ActionTaskSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var now = clock.GetUtcNow();
        var flagged = false;
        var update = await actions.UpdateAsync(snapshot.ActionId, action =>
        {
            var closedOnBoard = snapshot.PercentComplete >= 100;
            var unverified = action.Track == ActionTracks.Action && action.IsOpen;
            flagged = closedOnBoard && unverified;
            var mirrored = new ActionTask(snapshot.TaskId, snapshot.PercentComplete, snapshot.AssigneeIds, snapshot.DueOn, snapshot.CompletedAt, action.Task?.SyncedAt);
            var same = action.Task is { } known && known.TaskId == mirrored.TaskId && known.PercentComplete == mirrored.PercentComplete
                && known.AssigneeIds.SequenceEqual(mirrored.AssigneeIds) && known.DueOn == mirrored.DueOn && known.CompletedAt == mirrored.CompletedAt;
            if (same && (!flagged || action.ClosedWithoutEvidenceAt is not null))
            {
                return null;
            }

            return action with
            {
                Task = mirrored with { SyncedAt = now },
                ClosedWithoutEvidenceAt = flagged ? action.ClosedWithoutEvidenceAt ?? now : action.ClosedWithoutEvidenceAt,
                History = flagged && action.ClosedWithoutEvidenceAt is null
                    ? [.. action.History, new ActionEvent(now, "planner", "closed-without-evidence", options.Value.ReopenClosedWithoutEvidence ? "reopened" : null)]
                    : action.History,
            };
        }, cancellationToken);
        if (update is null)
        {
            return false;
        }

        if (update.Changed && update.Before.ClosedWithoutEvidenceAt is null && update.After.ClosedWithoutEvidenceAt is not null)
        {
            await audit.AppendAsync(new AuditEntry(update.After.VendorId, AuditActions.ActionClosedWithoutEvidence, "planner", update.After.Id,
                new { status = update.Before.Status, percentComplete = update.Before.Task?.PercentComplete },
                new { status = update.After.Status, percentComplete = snapshot.PercentComplete, reopened = options.Value.ReopenClosedWithoutEvidence }), cancellationToken);
        }

        return flagged && options.Value.ReopenClosedWithoutEvidence;
    }
}
