using Azure;
using Azure.Data.Tables;

namespace FunctionsPortal.Storage;

/// <summary>ETag-guarded writes: nothing is ever overwritten blindly.</summary>
public static class TableConcurrency
{
    /// <summary>Inserts the entity unless one with the same keys exists; returns false on 409. On success the entity carries its new ETag.</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableEntityLimits.Validate(entity);
        try
        {
            var response = await table.AddEntityAsync(entity, cancellationToken);
            entity.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the entity only if it still has the ETag it was read with.</summary>
    public static async Task<ETag> ReplaceIfUnchangedAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.ETag == default)
        {
            throw new ArgumentException("The entity has no ETag: read it before replacing it, or use TryAddAsync.", nameof(entity));
        }

        TableEntityLimits.Validate(entity);
        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag ?? default;
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            throw new ConcurrencyConflictException(
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) in table {table.Name} was changed by someone else.", exception);
        }
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency: reads the entity, applies <paramref name="mutate"/> and writes
    /// it back with the ETag; on a 412 it reads again and re-applies. <paramref name="mutate"/> returns false when
    /// there is nothing to change, and must be safe to run more than once. Returns null when the entity is missing.
    /// </summary>
    public static async Task<T?> UpdateWithRetryAsync<T>(
        this TableClient table,
        string partitionKey,
        string rowKey,
        Func<T, bool> mutate,
        CancellationToken cancellationToken,
        int maxAttempts = 5)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
            if (!current.HasValue || current.Value is null)
            {
                return null;
            }

            var entity = current.Value;
            if (!mutate(entity))
            {
                return entity;
            }

            try
            {
                entity.ETag = await table.ReplaceIfUnchangedAsync(entity, cancellationToken);
                return entity;
            }
            catch (ConcurrencyConflictException) when (attempt < maxAttempts)
            {
                // Lost the race: re-read and re-apply on the fresh copy.
            }
        }
    }
}
