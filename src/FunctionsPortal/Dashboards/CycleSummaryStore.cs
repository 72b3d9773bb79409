using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Caching.Memory;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// Table "summaries": PartitionKey = cycle; per bucket a figures row "b~{tier}~{category}~{owner}" (what a render
/// reads: counts, needs-action lines, grades) and an entries row "e~…" (each assignment's <see cref="SummaryEntry"/>),
/// always written together in one transaction, so the dashboard reads a cycle's figures in one query and never scans
/// assignments. PartitionKey "~cycles" is the catalog of cycles (RowKey = cycle).
/// Rows change under the entries row's ETag; entries carry the assignment's revision, so late or repeated updates are
/// harmless (decision 013). A change that meets a concurrent writer is appended as a delta row beside the entries row
/// and folded in by whichever writer gets there first — in the same transaction that deletes it — so writers of one
/// bucket never fail each other (decision 023).
/// </summary>
public sealed partial class CycleSummaryStore(PortalStorage storage, CampaignStore campaigns, TimeProvider clock, IMemoryCache parsed, ILogger<CycleSummaryStore> logger) : IAssignmentChangeSink
{
    public const string TableName = "summaries";
    public const string CatalogPartition = "~cycles";

    /// <summary>Enough for 1 MiB of entries (the entity limit, checked on write) and for the render's columns.</summary>
    private const int MaxEntryChunks = 16;
    private const int MaxReadChunks = 4;
    private const int MaxAttempts = 30;

    /// <summary>Deltas folded per transaction (with the entries and figures rows, under the 100 operations a transaction takes).</summary>
    private const int MaxFoldedDeltas = 90;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>
    /// Folds stored assignments into their buckets: per bucket touched, one query (entries row and pending deltas) and one
    /// transaction. Under contention the change is appended as a delta first (durable, never lost), then folded by this
    /// writer or by whichever writer of the bucket comes first; this returns once it is folded.
    /// </summary>
    public async Task ChangedAsync(IReadOnlyList<Assignment> stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var cycle in stored.GroupBy(assignment => assignment.Cycle, StringComparer.Ordinal))
        {
            foreach (var bucket in cycle.GroupBy(SummaryBucket.Of))
            {
                var changes = new BucketSummary(bucket.Key);
                foreach (var assignment in bucket)
                {
                    changes.Apply(assignment);
                }

                await ApplyAsync(cycle.Key, changes, cancellationToken);
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

    /// <summary>
    /// A cycle's bucket figures for a render: one query, only the figures' columns. A row is parsed once per ETag: the
    /// parsed figures are kept under (table, cycle, row, ETag), so an unchanged row is never parsed again and a changed one
    /// (new ETag) always is — the cache can make a render cheaper, never older.
    /// </summary>
    public async Task<IReadOnlyList<BucketFigures>> FiguresAsync(string cycle, CancellationToken cancellationToken) =>
        (await FiguresWithinAsync(cycle, 2, cancellationToken)).Figures;

    /// <summary>
    /// As <see cref="FiguresAsync"/> in at most <paramref name="roundTrips"/> round trips. Given two and a cycle read before,
    /// it first lists the rows' keys and ETags only (small rows); when every one is parsed already that is all it reads,
    /// otherwise it reads the figures in full. Given one, it reads them in full.
    /// </summary>
    internal async Task<(IReadOnlyList<BucketFigures> Figures, int RoundTrips)> FiguresWithinAsync(string cycle, int roundTrips, CancellationToken cancellationToken)
    {
        // Only the figures rows ("b~…"; an escaped bucket part never starts with "~"), never the entries rows.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycle} and RowKey ge {"b~"} and RowKey lt {"b~~"}");
        var seen = new CycleSeenKey(Table.Uri.AbsoluteUri, cycle);
        if (roundTrips >= 2 && parsed.TryGetValue(seen, out _))
        {
            var cached = new List<BucketFigures>();
            var complete = true;
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                // A row without an ETag cannot be matched to a parsed version: read in full.
                if (row.ETag == default || !parsed.TryGetValue(FiguresKey(cycle, row), out BucketFigures? hit) || hit is null)
                {
                    complete = false;
                    break;
                }

                cached.Add(hit);
            }

            if (complete)
            {
                return (cached, 1);
            }

            return (await ReadFiguresAsync(cycle, filter, cancellationToken), 2);
        }

        return (await ReadFiguresAsync(cycle, filter, cancellationToken), 1);
    }

    private async Task<List<BucketFigures>> ReadFiguresAsync(string cycle, string filter, CancellationToken cancellationToken)
    {
        var figures = new List<BucketFigures>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var key = FiguresKey(cycle, row);
            if (!parsed.TryGetValue(key, out BucketFigures? bucket) || bucket is null)
            {
                bucket = new BucketFigures(
                    BucketOf(row),
                    JsonSerializer.Deserialize<BucketTotals>(row.GetString("Totals"), Json)!,
                    JsonSerializer.Deserialize<List<ActionEntry>>(Joined(row, "Actions"), Json)!,
                    VendorGrades.Parse(Joined(row, "Grades")));
                parsed.Set(key, bucket, ParsedFiguresLifetime);
            }

            figures.Add(bucket);
        }

        parsed.Set(new CycleSeenKey(Table.Uri.AbsoluteUri, cycle), true, ParsedFiguresLifetime);
        return figures;
    }

    private ParsedFiguresKey FiguresKey(string cycle, TableEntity row) => new(Table.Uri.AbsoluteUri, cycle, row.RowKey, row.ETag.ToString());

    private sealed record CycleSeenKey(string Table, string Cycle);

    /// <summary>Parsed rows not read for this long are dropped (superseded ETags are never read again).</summary>
    private static readonly MemoryCacheEntryOptions ParsedFiguresLifetime = new() { SlidingExpiration = TimeSpan.FromMinutes(15) };

    private sealed record ParsedFiguresKey(string Table, string Cycle, string RowKey, string ETag);

    /// <summary>Every bucket of a cycle with its entries and ETag (for a rebuild).</summary>
    public async Task<IReadOnlyList<(BucketSummary Summary, BucketETags ETags)>> BucketsAsync(string cycle, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var entries = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cycle}"), cancellationToken: cancellationToken))
        {
            (row.RowKey.StartsWith("b~", StringComparison.Ordinal) ? figures : entries)[row.RowKey[2..]] = row;
        }

        return figures.Where(pair => entries.ContainsKey(pair.Key))
            .Select(pair => (FromEntries(entries[pair.Key]), new BucketETags(pair.Value.ETag, entries[pair.Key].ETag)))
            .ToList();
    }

    /// <summary>Writes a bucket (both rows, one transaction) over what was read (<paramref name="etags"/>; null: it did not exist); false when someone wrote in between.</summary>
    public async Task<bool> TryWriteAsync(string cycle, BucketSummary summary, BucketETags? etags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var (figures, entries) = ToEntities(cycle, summary);
        IReadOnlyCollection<TableTransactionAction> actions = etags is { } held
            ? [new(TableTransactionActionType.UpdateReplace, figures, held.Figures), new(TableTransactionActionType.UpdateReplace, entries, held.Entries)]
            : [new(TableTransactionActionType.Add, figures), new(TableTransactionActionType.Add, entries)];
        try
        {
            await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412 or 404)
        {
            return false;
        }

        if (etags is null)
        {
            await EnsureCatalogedAsync(cycle, cancellationToken);
        }

        return true;
    }

    /// <summary>Removes a bucket none of the cycle's assignments belongs to any more; false when it changed meanwhile.</summary>
    public async Task<bool> TryDeleteAsync(string cycle, SummaryBucket bucket, BucketETags etags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(etags);
        try
        {
            await Table.SubmitCheckedTransactionAsync(
            [
                new(TableTransactionActionType.Delete, new TableEntity(cycle, bucket.RowKey), etags.Figures),
                new(TableTransactionActionType.Delete, new TableEntity(cycle, bucket.EntriesRowKey), etags.Entries),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 412 or 404)
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

    private async Task ApplyAsync(string cycle, BucketSummary changes, CancellationToken cancellationToken)
    {
        var bucket = changes.Bucket;
        string? delta = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (entries, deltas) = await ReadForFoldAsync(cycle, bucket, cancellationToken);
            if (delta is not null && !deltas.Any(row => row.RowKey == delta))
            {
                return; // another writer folded it
            }

            var summary = entries is null ? new BucketSummary(bucket) : FromEntries(entries);
            var folded = deltas.Take(MaxFoldedDeltas).ToList();
            var changed = folded.Aggregate(false, (any, row) => summary.Take(FromDelta(bucket, row)) | any);
            if (delta is null)
            {
                changed |= summary.Take(changes);
            }

            if (!changed && folded.Count == 0)
            {
                return;
            }

            if (await TryFoldAsync(cycle, summary, entries?.ETag, folded, cancellationToken))
            {
                if (delta is null || folded.Any(row => row.RowKey == delta))
                {
                    return;
                }

                continue; // more deltas were waiting than one transaction folds: ours is in the next
            }

            // Another writer got there first: from now on the change is a delta row, which whoever folds next takes.
            delta ??= await AppendDeltaAsync(cycle, changes, cancellationToken);

            // Wall-clock milliseconds, not the injected clock: a contention backoff is not business time (and a test's
            // frozen clock must not stall it).
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(attempt, 10))), cancellationToken);
        }

        // The change is stored as a delta: the next writer of the bucket, or the nightly rebuild, folds it in.
        LogLeftAsDelta(cycle, bucket.RowKey, MaxAttempts);
    }

    /// <summary>A bucket's entries row (null before its first write) and its pending deltas, oldest first: one range query.</summary>
    private async Task<(TableEntity? Entries, List<TableEntity> Deltas)> ReadForFoldAsync(string cycle, SummaryBucket bucket, CancellationToken cancellationToken)
    {
        TableEntity? entries = null;
        var deltas = new List<TableEntity>();
        // Deltas sort right after their entries row; another bucket's rows can only fall in between when its owner's
        // address extends this one's, and are skipped.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycle} and RowKey ge {bucket.EntriesRowKey} and RowKey lt {bucket.DeltaPrefix + "~"}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (row.RowKey == bucket.EntriesRowKey)
            {
                entries = row;
            }
            else if (row.RowKey.StartsWith(bucket.DeltaPrefix, StringComparison.Ordinal))
            {
                deltas.Add(row);
            }
        }

        return (entries, deltas);
    }

    /// <summary>Writes the bucket (entries under the ETag read, or added) and deletes the deltas folded into it, in one transaction; false when someone wrote first.</summary>
    private async Task<bool> TryFoldAsync(string cycle, BucketSummary summary, ETag? entriesETag, IReadOnlyList<TableEntity> folded, CancellationToken cancellationToken)
    {
        var (figures, entries) = ToEntities(cycle, summary);
        // The figures row is only ever written with its entries row, so the entries row's ETag guards both.
        List<TableTransactionAction> actions =
        [
            entriesETag is { } etag ? new(TableTransactionActionType.UpdateReplace, entries, etag) : new(TableTransactionActionType.Add, entries),
            new(TableTransactionActionType.UpsertReplace, figures),
            .. folded.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(cycle, row.RowKey), ETag.All)),
        ];
        try
        {
            await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException exception) when (exception.Status is 409 or 412 or 404)
        {
            return false;
        }

        if (entriesETag is null)
        {
            await EnsureCatalogedAsync(cycle, cancellationToken);
        }

        return true;
    }

    /// <summary>Appends the change as a delta row of its bucket; returns its row key.</summary>
    private async Task<string> AppendDeltaAsync(string cycle, BucketSummary changes, CancellationToken cancellationToken)
    {
        var row = new TableEntity(cycle, changes.Bucket.DeltaPrefix + $"{DateTime.UtcNow.Ticks:x16}{Guid.NewGuid():N}")
        {
            ["Titles"] = JsonSerializer.Serialize(changes.SectionTitles, Json),
        };
        Split(row, "Entries", JsonSerializer.Serialize(changes.Entries, Json), MaxEntryChunks);
        TableEntityLimits.Validate(row);
        await Table.AddEntityAsync(row, cancellationToken);
        return row.RowKey;
    }

    private static BucketSummary FromDelta(SummaryBucket bucket, TableEntity row) => new(bucket)
    {
        Entries = JsonSerializer.Deserialize<Dictionary<string, SummaryEntry>>(Joined(row, "Entries"), Json)!,
        SectionTitles = JsonSerializer.Deserialize<Dictionary<string, string[]>>(row.GetString("Titles") ?? "{}", Json)!,
    };

    private static (TableEntity Figures, TableEntity Entries) ToEntities(string cycle, BucketSummary summary)
    {
        var figures = new TableEntity(cycle, summary.Bucket.RowKey)
        {
            ["Shard"] = summary.Bucket.Shard,
            ["Tier"] = summary.Bucket.Tier,
            ["Category"] = summary.Bucket.Category,
            ["OwnerEmail"] = summary.Bucket.OwnerEmail,
            ["OwnerName"] = summary.Bucket.OwnerName,
            ["Totals"] = JsonSerializer.Serialize(summary.Totals(), Json),
        };
        Split(figures, "Actions", JsonSerializer.Serialize(summary.Actions(CycleDashboard.LinesPerKind), Json), MaxReadChunks);
        Split(figures, "Grades", VendorGrades.Format(summary.Grades()), MaxReadChunks);
        var entries = new TableEntity(cycle, summary.Bucket.EntriesRowKey)
        {
            ["Shard"] = summary.Bucket.Shard,
            ["Tier"] = summary.Bucket.Tier,
            ["Category"] = summary.Bucket.Category,
            ["OwnerEmail"] = summary.Bucket.OwnerEmail,
            ["OwnerName"] = summary.Bucket.OwnerName,
            ["Titles"] = JsonSerializer.Serialize(summary.SectionTitles, Json),
        };
        Split(entries, "Entries", JsonSerializer.Serialize(summary.Entries, Json), MaxEntryChunks);
        TableEntityLimits.Validate(figures);
        TableEntityLimits.Validate(entries);
        return (figures, entries);
    }

    private static BucketSummary FromEntries(TableEntity entries) => new(BucketOf(entries))
    {
        Entries = JsonSerializer.Deserialize<Dictionary<string, SummaryEntry>>(Joined(entries, "Entries"), Json)!,
        SectionTitles = JsonSerializer.Deserialize<Dictionary<string, string[]>>(entries.GetString("Titles") ?? "{}", Json)!,
    };

    private static SummaryBucket BucketOf(TableEntity row) =>
        new(row.GetString("Tier"), row.GetString("Category"), row.GetString("OwnerEmail"), row.GetString("OwnerName")) { Shard = row.GetInt32("Shard") ?? 0 };

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Summary bucket {Bucket} of cycle {Cycle} kept changing: after {Attempts} attempts the change waits as a delta for the next write or the nightly rebuild")]
    private partial void LogLeftAsDelta(string cycle, string bucket, int attempts);
}

/// <summary>The ETags a bucket's two rows were read with.</summary>
public sealed record BucketETags(ETag Figures, ETag Entries);

/// <summary>What a render needs of one bucket: its figures, its needs-action lines and its vendors' grades.</summary>
public sealed record BucketFigures(SummaryBucket Bucket, BucketTotals Totals, IReadOnlyList<ActionEntry> Actions, IReadOnlyDictionary<string, VendorGrade> Grades);
