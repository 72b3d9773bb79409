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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StorageRetry.UntilDoneAsync("Creating tables, containers and queues", CreateAllAsync, timeProvider, logger, stoppingToken);
        readiness.MarkReady();
        LogReady();
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
