namespace FunctionsPortal.Storage;

/// <summary>
/// Signals that every registered table, container and queue exists. Work that needs storage waits on it, so the
/// web front stays up (and <c>/healthz</c> can say why) while storage is still unreachable.
/// </summary>
public sealed class StorageReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    public Task WhenReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    internal void MarkReady() => _ready.TrySetResult();
}
