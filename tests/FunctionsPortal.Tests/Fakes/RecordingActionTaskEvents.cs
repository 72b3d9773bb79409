using System.Collections.Concurrent;
using FunctionsPortal.CorrectiveActions;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// Stands in for the corrective actions: records every task created and every snapshot observed, and asks for a
/// completed task to be reopened when its action is in <see cref="ReopenWhenCompleted"/> ("closed without evidence").
/// </summary>
public sealed class RecordingActionTaskEvents : IActionTaskEvents
{
    private readonly ConcurrentQueue<(string ActionId, string TaskId)> _created = new();
    private readonly ConcurrentQueue<ActionTaskSnapshot> _observed = new();

    public ConcurrentDictionary<string, bool> ReopenWhenCompleted { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(string ActionId, string TaskId)> Created => [.. _created];

    public IReadOnlyList<ActionTaskSnapshot> Observed => [.. _observed];

    public Task TaskCreatedAsync(string actionId, string taskId, CancellationToken cancellationToken)
    {
        _created.Enqueue((actionId, taskId));
        return Task.CompletedTask;
    }

    public Task<bool> TaskObservedAsync(ActionTaskSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _observed.Enqueue(snapshot);
        return Task.FromResult(snapshot.PercentComplete == 100 && ReopenWhenCompleted.ContainsKey(snapshot.ActionId));
    }
}
