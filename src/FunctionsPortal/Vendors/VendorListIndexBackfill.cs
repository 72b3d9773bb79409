using FunctionsPortal.Storage;

namespace FunctionsPortal.Vendors;

/// <summary>
/// At start-up, builds the list, attention and scope rows for a registry stored before they existed (once: a marker row
/// records it). The nightly RebuildSummaries job and POST /api/vendors/list-index/rebuild rebuild them again.
/// </summary>
internal sealed partial class VendorListIndexBackfill(
    VendorStore store,
    StorageReadiness readiness,
    TimeProvider timeProvider,
    ILogger<VendorListIndexBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyInTheBackgroundAsync(stoppingToken);
        await StorageRetry.UntilDoneAsync("Building the vendor list index", BackfillAsync, timeProvider, logger, stoppingToken);
    }

    private async Task BackfillAsync(CancellationToken cancellationToken)
    {
        if (!await store.ListIndexBuiltAsync(cancellationToken))
        {
            var indexed = await store.RebuildListIndexAsync(cancellationToken);
            LogBuilt(indexed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vendor list index built for {Vendors} vendors")]
    private partial void LogBuilt(int vendors);
}
