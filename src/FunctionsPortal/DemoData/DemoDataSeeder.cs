using Azure.Data.Tables;
using FunctionsPortal.Checklists;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.DemoData;

/// <summary>
/// Seeds the demo vendors once per storage account. Fixed ids plus insert-if-absent make a second start (or two
/// starts at once) add nothing; a marker row remembers the seeding, so demo rows a user deleted stay deleted.
/// </summary>
internal sealed partial class DemoDataSeeder(
    IOptions<DemoDataOptions> options,
    StorageReadiness readiness,
    PortalStorage storage,
    VendorStore vendors,
    DefaultChecklistsSeeder checklists,
    SurveyPlanner planner,
    DemoHistory history,
    DemoTrends trends,
    TimeProvider timeProvider,
    ILogger<DemoDataSeeder> logger) : BackgroundService
{
    public const string MetadataTable = "portalmeta";
    private const string MarkerPartition = "demo-data";
    // Bumped when the demo data changes shape, so an existing local Azurite gets the new demo rows.
    private const string MarkerRow = "v2";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await readiness.WhenReadyInTheBackgroundAsync(stoppingToken);
        var seeded = 0;
        await StorageRetry.UntilDoneAsync("Seeding demo data", async token => seeded = await SeedAsync(token), timeProvider, logger, stoppingToken);

        // Plan at once instead of waiting for tomorrow's timer, so the local outbox shows working survey links within
        // seconds. Planning is idempotent: restarting plans nothing twice.
        await StorageRetry.UntilDoneAsync("Planning the demo surveys", async token =>
        {
            await checklists.SeedAsync(token);
            await history.SeedAsync(token);
            await trends.SeedAsync(token);
            await planner.PlanAsync(token);
        }, timeProvider, logger, stoppingToken);
        if (seeded == 0)
        {
            LogAlreadySeeded();
        }
        else
        {
            LogSeeded(seeded);
        }
    }

    /// <summary>Returns how many demo rows this call added (0 when seeding happened before).</summary>
    internal async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var meta = storage.GetTable(MetadataTable);
        var marker = await meta.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, MarkerRow, cancellationToken: cancellationToken);
        if (marker.HasValue)
        {
            return 0;
        }

        var added = 0;
        foreach (var (id, vendor) in DemoVendors.All)
        {
            if (await vendors.FindAsync(id, cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                await vendors.AddAsync(id, vendor, "demo-data", cancellationToken);
                added++;
            }
            catch (VendorConflictException)
            {
                // Another instance seeded this vendor a moment ago: nothing to add.
            }
        }

        await meta.TryAddAsync(new TableEntity(MarkerPartition, MarkerRow) { ["SeededAt"] = timeProvider.GetUtcNow(), ["Vendors"] = DemoVendors.All.Count }, cancellationToken);
        return added;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Rows} rows")]
    private partial void LogSeeded(int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data was seeded before; nothing added")]
    private partial void LogAlreadySeeded();
}
