using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Table "vendorcycles": the cycles each vendor has been asked in, so that a vendor's surveys are found with one range
/// query per cycle of its own instead of a query across every cycle (decision 026). PartitionKey = one of 16 buckets
/// by a stable hash of the vendor id, so a whole plan's rows go 100 to a transaction; RowKey = "{vendorId}~{cycle}";
/// <c>At</c> = when the latest survey of that cycle was created. Rows are written before the surveys, so a crash in
/// between leaves a cycle with nothing in it, never a survey the index does not know.
/// </summary>
internal sealed class VendorCycleIndex(PortalStorage storage)
{
    public const string TableName = "vendorcycles";

    private const int Buckets = 16;

    private TableClient Table => storage.GetTable(TableName);

    public async Task RecordAsync(IEnumerable<Assignment> assignments, CancellationToken cancellationToken)
    {
        var rows = assignments
            .GroupBy(assignment => (assignment.VendorId, assignment.Cycle))
            .Select(pair => new TableEntity(BucketOf(pair.Key.VendorId), RowKeyOf(pair.Key.VendorId, pair.Key.Cycle))
            {
                ["VendorId"] = pair.Key.VendorId,
                ["Cycle"] = pair.Key.Cycle,
                ["At"] = pair.Max(assignment => assignment.CreatedAt),
            });
        foreach (var chunk in rows.GroupBy(row => row.PartitionKey, StringComparer.Ordinal).SelectMany(bucket => bucket.Chunk(TableBatch.MaxOperations)))
        {
            await Table.SubmitCheckedTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList(), cancellationToken);
        }
    }

    /// <summary>The cycles the vendor has had a survey created in since <paramref name="since"/>: one range query in one bucket.</summary>
    public async Task<IReadOnlyList<string>> CyclesAsync(string vendorId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(vendorId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {BucketOf(vendorId)} and RowKey ge {vendorId + "~"} and RowKey lt {vendorId + "~~"} and At ge {since}");
        var cycles = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["Cycle"], cancellationToken: cancellationToken))
        {
            cycles.Add(row.GetString("Cycle"));
        }

        return cycles;
    }

    private static string RowKeyOf(string vendorId, string cycle) => $"{vendorId}~{cycle}";

    /// <summary>FNV-1a over the id's UTF-16 code units: the same bucket in every process (string.GetHashCode is randomized).</summary>
    internal static string BucketOf(string vendorId)
    {
        var hash = 2166136261u;
        foreach (var unit in vendorId)
        {
            hash = unchecked((hash ^ unit) * 16777619u);
        }

        return $"b{hash % Buckets:00}";
    }
}
