namespace FunctionsPortal.Storage;

/// <summary>
/// Signals that every registered table, container and queue exists. Work that needs storage waits on it, so the
/// web front stays up (and <c>/healthz</c> can say why) while storage is still unreachable.
/// Creating them is deferred until something wants storage (<see cref="WhenReadyAsync"/>, <see cref="Want"/>): a cold
/// instance answers the host's first probe before it spends a round trip on storage (docs/decisions, cold start).
/// </summary>
public sealed class StorageReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Waits until storage is initialized, and has it initialized now if that was still deferred.</summary>
    public Task WhenReadyAsync(CancellationToken cancellationToken)
    {
        Want();
        return _ready.Task.WaitAsync(cancellationToken);
    }

    /// <summary>For start-up work that can wait (seeding, backfills): waits without hurrying the initialization.</summary>
    public Task WhenReadyInTheBackgroundAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Something needs storage (or the first answer has gone out): initialization starts now if it has not.</summary>
    public void Want() => _wanted.TrySetResult();

    internal Task Wanted => _wanted.Task;

    internal void MarkReady() => _ready.TrySetResult();
}
