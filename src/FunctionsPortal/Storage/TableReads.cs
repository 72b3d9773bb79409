using Azure.Data.Tables;

namespace FunctionsPortal.Storage;

/// <summary>Reading many known rows of one partition in as few round trips as the common case allows.</summary>
public static class TableReads
{
    /// <summary>Up to this many rows are point-read; more are read with one query over the partition.</summary>
    public const int PointReadLimit = 10;

    /// <summary>
    /// The rows of <paramref name="partitionKey"/> with these row keys that exist, by row key: a point read each for up
    /// to <see cref="PointReadLimit"/>, else one query over the partition (a round trip per 1,000 rows it holds).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TableEntity>> ReadManyAsync(
        this TableClient table, string partitionKey, IReadOnlyCollection<string> rowKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rowKeys);
        var wanted = rowKeys.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        if (wanted.Count <= PointReadLimit)
        {
            foreach (var rowKey in wanted)
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
                if (row.HasValue)
                {
                    found[rowKey] = row.Value!;
                }
            }

            return found;
        }

        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
        {
            if (wanted.Contains(row.RowKey))
            {
                found[row.RowKey] = row;
            }
        }

        return found;
    }
}
