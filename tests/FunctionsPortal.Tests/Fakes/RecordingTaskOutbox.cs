using FunctionsPortal.CorrectiveActions;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A task outbox that only records what the corrective actions asked of it.</summary>
public sealed class RecordingTaskOutbox : IActionTaskOutbox
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _opened = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _completed = new();

    public IReadOnlyList<string> Opened => [.. _opened];

    public IReadOnlyList<string> Completed => [.. _completed];

    public Task OpenAsync(ActionTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _opened.Enqueue(request.ActionId);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string actionId, CancellationToken cancellationToken)
    {
        _completed.Enqueue(actionId);
        return Task.CompletedTask;
    }
}
