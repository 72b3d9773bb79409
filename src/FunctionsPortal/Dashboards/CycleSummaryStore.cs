using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// Table "summaries": PartitionKey = cycle, RowKey = "b~{tier}~{category}~{owner}" — one row per bucket holding each
/// assignment's <see cref="SummaryEntry"/> and the figures derived from them, so the dashboard reads a cycle in one
/// query and never scans assignments. PartitionKey "~cycles" is the catalog of cycles (RowKey = cycle).
/// Rows change under their ETag; entries carry the assignment's revision, so late or repeated updates are harmless
/// (decision 013).
/// </summary>
public sealed partial class CycleSummaryStore(PortalStorage storage, CampaignStore campaigns, TimeProvider clock, ILogger<CycleSummaryStore> logger) : IAssignmentChangeSink
{
    public const string TableName = "summaries";
    public const string CatalogPartition = "~cycles";

    /// <summary>Enough for 1 MiB of entries (the entity limit, checked on write) and for the render's columns.</summary>
    private const int MaxEntryChunks = 16;
    private const int MaxReadChunks = 4;
    private const int MaxAttempts = 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a render reads of a bucket row: the figures, never the per-assignment entries.</summary>
    private static readonly IReadOnlyList<string> RenderColumns =
        ["Tier", "Category", "OwnerEmail", "OwnerName", "Totals", .. Chunks("Actions", MaxReadChunks), .. Chunks("Grades", MaxReadChunks)];

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Folds stored assignments into their buckets: one read-modify-write per bucket touched, retried on conflicts.</summary>
    public async Task ChangedAsync(IReadOnlyList<Assignment> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var cycle in stored.GroupBy(assignment => assignment.Cycle, StringComparer.Ordinal))
        {
            foreach (var bucket in cycle.GroupBy(SummaryBucket.Of))
            {
                await ApplyAsync(cycle.Key, bucket.Key, bucket.ToList(), cancellationToken);
            }
        }
    }

    /// <summary>The catalog: every cycle that has a summary.</summary>
    public async Task<IReadOnlyList<CycleInfo>> CyclesAsync(CancellationToken cancellationToken)
    {
        var cycles = new List<CycleInfo>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {CatalogPartition}"), cancellationToken: cancellationToken))
        {
            cycles.Add(JsonSerializer.Deserialize<CycleInfo>(row.GetString("Data"), Json)!);
        }

        return cycles;
    }

    /// <summary>A cycle's bucket figures for a render: one query, only the figures' columns.</summary>
    public async Task<IReadOnlyList<BucketFigures>> FiguresAsync(string cycle, CancellationToken cancellationToken)
    {
        var figures = new List<BucketFigures>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycle}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: RenderColumns, cancellationToken: cancellationToken))
        {
            figures.Add(new BucketFigures(
                BucketOf(row),
                JsonSerializer.Deserialize<BucketTotals>(row.GetString("Totals"), Json)!,
                JsonSerializer.Deserialize<List<ActionEntry>>(Joined(row, "Actions"), Json)!,
                JsonSerializer.Deserialize<Dictionary<string, VendorGrade>>(Joined(row, "Grades"), Json)!));
        }

        return figures;
    }

    /// <summary>Every bucket of a cycle with its entries and ETag (for a rebuild).</summary>
    public async Task<IReadOnlyList<(BucketSummary Summary, ETag ETag)>> BucketsAsync(string cycle, CancellationToken cancellationToken)
    {
        var buckets = new List<(BucketSummary, ETag)>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycle}"), cancellationToken: cancellationToken))
        {
            buckets.Add((FromEntity(row), row.ETag));
        }

        return buckets;
    }

    /// <summary>Writes a rebuilt bucket over what was read (<paramref name="etag"/>; default: it did not exist); false when someone wrote in between.</summary>
    public async Task<bool> TryWriteAsync(string cycle, BucketSummary summary, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var entity = ToEntity(cycle, summary);
        if (etag == default)
        {
            var added = await Table.TryAddAsync(entity, cancellationToken);
            if (added)
            {
                await EnsureCatalogedAsync(cycle, cancellationToken);
            }

            return added;
        }

        entity.ETag = etag;
        try
        {
            await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    /// <summary>Removes a bucket row none of the cycle's assignments belongs to any more; false when it changed meanwhile.</summary>
    public async Task<bool> TryDeleteAsync(string cycle, SummaryBucket bucket, ETag etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        try
        {
            await Table.DeleteEntityAsync(cycle, bucket.RowKey, etag, cancellationToken);
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Adds the cycle to the catalog if it is not there (names a campaign from its record).</summary>
    public async Task EnsureCatalogedAsync(string cycle, CancellationToken cancellationToken)
    {
        var existing = await Table.GetEntityIfExistsAsync<TableEntity>(CatalogPartition, cycle, ["PartitionKey"], cancellationToken);
        if (existing.HasValue)
        {
            return;
        }

        var campaign = CycleInfo.PlanStart(cycle) is null ? await campaigns.FindAsync(cycle, cancellationToken) : null;
        var info = CycleInfo.For(cycle, campaign, clock.GetUtcNow());
        await Table.TryAddAsync(new TableEntity(CatalogPartition, cycle) { ["Data"] = JsonSerializer.Serialize(info, Json) }, cancellationToken);
    }

    private async Task ApplyAsync(string cycle, SummaryBucket bucket, IReadOnlyList<Assignment> assignments, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(cycle, bucket.RowKey, cancellationToken: cancellationToken);
            var summary = row.HasValue ? FromEntity(row.Value!) : new BucketSummary(bucket);
            var changed = false;
            foreach (var assignment in assignments)
            {
                changed |= summary.Apply(assignment);
            }

            if (!changed)
            {
                return;
            }

            if (await TryWriteAsync(cycle, summary, row.HasValue ? row.Value!.ETag : default, cancellationToken))
            {
                return;
            }

            if (attempt == MaxAttempts)
            {
                // The assignment is stored; its bucket catches up at the next rebuild (nightly, or an administrator's).
                LogGaveUp(cycle, bucket.RowKey, attempt);
                throw new ConcurrencyConflictException($"Summary bucket {bucket.RowKey} of cycle {cycle} kept changing under {attempt} attempts.");
            }

            // Others are writing the same bucket: back off a little, spread out, then re-read and re-apply.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), clock, cancellationToken);
        }
    }

    private static TableEntity ToEntity(string cycle, BucketSummary summary)
    {
        var entity = new TableEntity(cycle, summary.Bucket.RowKey)
        {
            ["Tier"] = summary.Bucket.Tier,
            ["Category"] = summary.Bucket.Category,
            ["OwnerEmail"] = summary.Bucket.OwnerEmail,
            ["OwnerName"] = summary.Bucket.OwnerName,
            ["Totals"] = JsonSerializer.Serialize(summary.Totals(), Json),
            ["Titles"] = JsonSerializer.Serialize(summary.SectionTitles, Json),
        };
        Split(entity, "Actions", JsonSerializer.Serialize(summary.Actions(), Json), MaxReadChunks);
        Split(entity, "Grades", JsonSerializer.Serialize(summary.Grades(), Json), MaxReadChunks);
        Split(entity, "Entries", JsonSerializer.Serialize(summary.Entries, Json), MaxEntryChunks);
        TableEntityLimits.Validate(entity);
        return entity;
    }

    private static BucketSummary FromEntity(TableEntity row) => new(BucketOf(row))
    {
        Entries = JsonSerializer.Deserialize<Dictionary<string, SummaryEntry>>(Joined(row, "Entries"), Json)!,
        SectionTitles = JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.GetString("Titles") ?? "{}", Json)!,
    };

    private static SummaryBucket BucketOf(TableEntity row) =>
        new(row.GetString("Tier"), row.GetString("Category"), row.GetString("OwnerEmail"), row.GetString("OwnerName"));

    private static IEnumerable<string> Chunks(string name, int count) => Enumerable.Range(0, count).Select(index => $"{name}{index}");

    /// <summary>A long JSON text over several string properties (each holds at most 32K characters).</summary>
    private static void Split(TableEntity entity, string name, string text, int maxChunks)
    {
        var size = TableEntityLimits.MaxStringPropertyChars;
        var count = Math.Max(1, (text.Length + size - 1) / size);
        if (count > maxChunks)
        {
            throw new StorageLimitException($"Summary {entity.RowKey} of {entity.PartitionKey}: {name} needs {count} properties of {size:N0} characters; at most {maxChunks} are read.");
        }

        for (var index = 0; index < count; index++)
        {
            entity[$"{name}{index}"] = text.Substring(index * size, Math.Min(size, text.Length - (index * size)));
        }
    }

    private static string Joined(TableEntity row, string name)
    {
        var text = new StringBuilder();
        for (var index = 0; row.GetString($"{name}{index}") is { } part; index++)
        {
            text.Append(part);
        }

        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Summary bucket {Bucket} of cycle {Cycle} kept changing: gave up after {Attempts} attempts; the next rebuild corrects it")]
    private partial void LogGaveUp(string cycle, string bucket, int attempts);
}

/// <summary>What a render needs of one bucket: its figures, its needs-action lines and its vendors' grades.</summary>
public sealed record BucketFigures(SummaryBucket Bucket, BucketTotals Totals, IReadOnlyList<ActionEntry> Actions, IReadOnlyDictionary<string, VendorGrade> Grades);
