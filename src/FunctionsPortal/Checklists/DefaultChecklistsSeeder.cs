using FunctionsPortal.Storage;

namespace FunctionsPortal.Checklists;

/// <summary>
/// Imports each default checklist version that is not in the library yet (an existing version is left alone), then
/// brings the library's catalog in line with its versions.
/// </summary>
internal sealed partial class DefaultChecklistsSeeder(
    ChecklistLibrary library,
    StorageReadiness readiness,
    TimeProvider timeProvider,
    ILogger<DefaultChecklistsSeeder> logger) : BackgroundService
{
    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the start-up import has finished (tests that count catalog repairs wait for it).</summary>
    internal Task Seeded => _seeded.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WhenReadyInTheBackgroundAsync(stoppingToken);
        await StorageRetry.UntilDoneAsync("Importing the default checklists", SeedAsync, timeProvider, logger, stoppingToken);
        _seeded.TrySetResult();
    }

    internal async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var definition in DefaultChecklists.All)
        {
            if (await library.InfoAsync(definition.Id, definition.Version, cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                await library.CreateAsync(definition, "defaults", cancellationToken);
                added++;
                LogImported(definition.Id, definition.Version);
            }
            catch (ChecklistConflictException)
            {
                // Another instance imported it a moment ago.
            }
        }

        // Listing the library reads the catalog partition; this is where it is repaired (once per start, a tiny table).
        await library.SyncCatalogAsync(cancellationToken);
        return added;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Default checklist {ChecklistId} v{Version} imported")]
    private partial void LogImported(string checklistId, int version);
}
