namespace FunctionsPortal.Storage;

/// <summary>
/// Creates every registered table, container and queue (idempotent), retrying until storage answers, then
/// marks <see cref="StorageReadiness"/>. It starts when something wants storage (a request that is not the host's
/// probe, a function invocation, a caller of <see cref="StorageReadiness.WhenReadyAsync"/>), when the first answer has
/// gone out, or <see cref="LatestStart"/> after the app has started, whichever comes first.
/// </summary>
internal sealed partial class StorageInitializer(
    PortalStorage storage,
    IEnumerable<StorageResource> resources,
    StorageReadiness readiness,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    /// <summary>With no request at all (a standalone start nobody browses yet), storage is initialized this long after start.</summary>
    internal static readonly TimeSpan LatestStart = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAny(readiness.Wanted, StartedAndThenAsync(LatestStart, stoppingToken));
        stoppingToken.ThrowIfCancellationRequested();
        await StorageRetry.UntilDoneAsync("Creating tables, containers and queues", CreateAllAsync, timeProvider, logger, stoppingToken);
        readiness.MarkReady();
        LogReady();
    }

    /// <summary>Completes <paramref name="delay"/> after the app started listening (real time: a test's frozen clock must not hold storage back).</summary>
    private async Task StartedAndThenAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        await Task.Delay(delay, stoppingToken);
    }

    private async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        var creations = resources.Distinct().Select(resource => resource.Kind switch
        {
            StorageResourceKind.Table => (Task)storage.GetTable(resource.LogicalName).CreateIfNotExistsAsync(cancellationToken),
            StorageResourceKind.Container => storage.GetContainer(resource.LogicalName).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            StorageResourceKind.Queue => storage.GetQueue(resource.LogicalName).CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            _ => throw new InvalidOperationException($"Unknown storage resource kind {resource.Kind}."),
        });
        await Task.WhenAll(creations);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: every table, container and queue exists")]
    private partial void LogReady();
}
