using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Audit;

/// <summary>
/// The daily anchor over all chains. Table <c>auditanchors</c>: PartitionKey <c>anchor-yyyyMMdd</c> (the Japan date it
/// was taken), one row <c>c~{chain}</c> per chain with its head then, and a row <c>~anchor</c> with a SHA-256 over them
/// all. Every row is written once (add, never replace), so a timer that fires twice, or a run that crashed half-way
/// and runs again, ends with the same anchor.
/// </summary>
public sealed class AuditAnchors(PortalStorage storage, AuditTrail trail, TimeProvider clock)
{
    public const string TableName = "auditanchors";

    private const string ChainPrefix = "c~";
    private const string SummaryRowKey = "~anchor";

    // One row naming the latest complete anchor, so no reader ever lists the anchors.
    private const string LatestPartition = "latest";
    private static readonly TimeSpan Japan = TimeSpan.FromHours(9);

    private TableClient Table => storage.GetTable(TableName);

    public static string PartitionOf(DateOnly date) => "anchor-" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Takes today's anchor (Japan date) unless it exists; either way returns it. Reads every chain's head: a scan by design, once a day.</summary>
    public async Task<AuditAnchor> TakeAsync(CancellationToken cancellationToken)
    {
        var partition = PartitionOf(DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Japan).DateTime));
        var attempts = 0;
        while (true)
        {
            attempts++;
            var existing = await ReadAsync(partition, cancellationToken);
            if (existing is { Complete: true })
            {
                await PointAtAsync(partition, cancellationToken);
                return existing;
            }

            // Rows an interrupted run wrote stay as they are; chains it did not reach get their head now.
            var written = existing?.Heads ?? new Dictionary<string, (long, string)>();
            var heads = new SortedDictionary<string, (long Sequence, string Hash)>(StringComparer.Ordinal);
            foreach (var (chain, head) in written)
            {
                heads[chain] = head;
            }

            var missing = new List<TableTransactionAction>();
            foreach (var (chain, head) in await trail.HeadsAsync(cancellationToken))
            {
                if (heads.TryAdd(chain, head))
                {
                    missing.Add(new(TableTransactionActionType.Add, new TableEntity(partition, ChainPrefix + chain) { ["Sequence"] = head.Sequence, ["Hash"] = head.Hash }));
                }
            }

            try
            {
                foreach (var chunk in TableBatch.Chunk(missing))
                {
                    await Table.SubmitCheckedTransactionAsync(chunk, cancellationToken);
                }

                var summary = new TableEntity(partition, SummaryRowKey) { ["Chains"] = heads.Count, ["Hash"] = HashOf(heads), ["TakenAt"] = AuditHash.TimeText(clock.GetUtcNow()) };
                await Table.AddEntityAsync(summary, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == 409 && attempts < 5)
            {
                // Another run of the timer is writing the same anchor: read what it wrote and finish from there.
                continue;
            }

            await PointAtAsync(partition, cancellationToken);
            return (await ReadAsync(partition, cancellationToken))!;
        }
    }

    /// <summary>The most recent complete anchor, or null when none was taken yet: the pointer row, then that day's partition.</summary>
    public async Task<AuditAnchor?> LatestAsync(CancellationToken cancellationToken) =>
        await LatestNameAsync(cancellationToken) is { } latest ? await ReadAsync(latest, cancellationToken) : null;

    /// <summary>What the latest anchor holds for one chain (two point reads), or null when it holds nothing for it.</summary>
    public async Task<(long Sequence, string Hash)?> AnchoredHeadAsync(string chain, CancellationToken cancellationToken)
    {
        if (await LatestNameAsync(cancellationToken) is not { } latest)
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(latest, ChainPrefix + chain, cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.GetInt64("Sequence") ?? 0, row.Value!.GetString("Hash") ?? "") : null;
    }

    private async Task<string?> LatestNameAsync(CancellationToken cancellationToken)
    {
        var pointer = await Table.GetEntityIfExistsAsync<TableEntity>(LatestPartition, LatestPartition, cancellationToken: cancellationToken);
        return pointer.HasValue ? pointer.Value!.GetString("Name") : null;
    }

    /// <summary>Points at <paramref name="partition"/> unless a later anchor is already pointed at (days only move forward).</summary>
    private async Task PointAtAsync(string partition, CancellationToken cancellationToken)
    {
        if (string.CompareOrdinal(await LatestNameAsync(cancellationToken), partition) < 0)
        {
            await Table.UpsertEntityAsync(new TableEntity(LatestPartition, LatestPartition) { ["Name"] = partition }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>SHA-256 over "chain TAB sequence TAB hash" lines in ordinal chain order: what an auditor recomputes from the rows.</summary>
    public static string HashOf(IEnumerable<KeyValuePair<string, (long Sequence, string Hash)>> heads)
    {
        var text = new StringBuilder();
        foreach (var (chain, head) in heads.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{chain}\t{head.Sequence}\t{head.Hash}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task<AuditAnchor?> ReadAsync(string partition, CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
        TableEntity? summary = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == SummaryRowKey)
            {
                summary = row;
            }
            else if (row.RowKey.StartsWith(ChainPrefix, StringComparison.Ordinal))
            {
                heads[row.RowKey[ChainPrefix.Length..]] = (row.GetInt64("Sequence") ?? 0, row.GetString("Hash") ?? "");
            }
        }

        return summary is null && heads.Count == 0
            ? null
            : new AuditAnchor(partition, summary?.GetString("Hash"), summary?.GetString("TakenAt"), heads);
    }
}

/// <summary>A day's anchor: each chain's head when it was taken and the hash over them (null while incomplete).</summary>
public sealed record AuditAnchor(string Name, string? Hash, string? TakenAt, IReadOnlyDictionary<string, (long Sequence, string Hash)> Heads)
{
    public bool Complete => Hash is not null;
}
