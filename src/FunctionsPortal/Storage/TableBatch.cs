using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Storage;

/// <summary>
/// Entity-group transactions with Azure's rules checked before sending: at most 100 operations, one partition,
/// one operation per entity, under 4 MiB. Azurite accepts cross-partition batches and mangles larger ones.
/// </summary>
public static class TableBatch
{
    public const int MaxOperations = 100;
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    public static void Validate(IReadOnlyCollection<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new StorageLimitException("A table transaction needs at least one operation.");
        }

        if (actions.Count > MaxOperations)
        {
            throw new StorageLimitException($"A table transaction holds at most {MaxOperations} operations; this one has {actions.Count}. Split it with {nameof(TableBatch)}.{nameof(Chunk)}.");
        }

        var partitionKey = actions.First().Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        var payload = 0;
        foreach (var action in actions)
        {
            if (!string.Equals(action.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new StorageLimitException($"A table transaction must stay in one partition; it mixes '{partitionKey}' and '{action.Entity.PartitionKey}'.");
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new StorageLimitException($"A table transaction may touch each entity once; RowKey '{action.Entity.RowKey}' appears twice.");
            }

            payload += action.ActionType == TableTransactionActionType.Delete
                ? 512
                : TableEntityLimits.EstimatedPayloadBytes(action.Entity);
        }

        if (payload > MaxPayloadBytes)
        {
            throw new StorageLimitException($"A table transaction must be under {MaxPayloadBytes:N0} bytes; this one is about {payload:N0}.");
        }
    }

    /// <summary>Validates and submits one atomic transaction.</summary>
    public static Task<Response<IReadOnlyList<Response>>> SubmitCheckedTransactionAsync(
        this TableClient table, IReadOnlyCollection<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        Validate(actions);
        return table.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>
    /// Splits actions into valid transactions: grouped by partition, at most 100 each. Atomic within a chunk only;
    /// callers that need all-or-nothing across chunks must make each chunk idempotent.
    /// </summary>
    public static IEnumerable<IReadOnlyList<TableTransactionAction>> Chunk(IEnumerable<TableTransactionAction> actions) =>
        actions
            .GroupBy(action => action.Entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(MaxOperations))
            .Select(chunk => (IReadOnlyList<TableTransactionAction>)chunk);
}
