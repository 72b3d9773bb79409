using Azure;

namespace FunctionsPortal.Storage;

/// <summary>
/// Creates every registered table, container and queue (idempotent), retrying until storage answers, then
/// marks <see cref="StorageReadiness"/>.
/// </summary>
internal sealed partial class StorageInitializer(
    PortalStorage storage,
    IEnumerable<StorageResource> resources,
    StorageReadiness readiness,
    TimeProvider timeProvider,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CreateAllAsync(stoppingToken);
                readiness.MarkReady();
                LogReady(attempt);
                return;
            }
            // Unreachable storage at start-up is expected locally (Azurite still starting): keep the app up and retry.
            catch (Exception exception) when (exception is RequestFailedException or HttpRequestException or AggregateException
                                              && !stoppingToken.IsCancellationRequested)
            {
                LogRetry(exception, attempt, delay);
            }

            await Task.Delay(delay, timeProvider, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: every table, container and queue exists (attempt {Attempt})")]
    private partial void LogReady(int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage not reachable yet (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetry(Exception exception, int attempt, TimeSpan delay);
}
