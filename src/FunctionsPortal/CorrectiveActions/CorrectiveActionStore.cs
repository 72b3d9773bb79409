using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Table "correctiveactions": one partition ("ca"), RowKey = the action id ("{vendorId}.{hash}"). One vendor's actions
/// are one bounded key range (the ledger, the vendor's pages); every action is one partition query (the staff list, the
/// daily reminder run), never a table scan. The record is JSON in <c>Data</c>; VendorId, Status, Track and DueOn are
/// columns for filtering. Raising the same findings twice adds nothing (the ids are deterministic).
/// </summary>
public sealed class CorrectiveActionStore(PortalStorage storage)
{
    public const string TableName = "correctiveactions";
    public const string Partition = "ca";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Adds the actions that do not exist yet (a transaction of up to 100); returns those this call added.</summary>
    public async Task<IReadOnlyList<CorrectiveAction>> AddNewAsync(IReadOnlyList<CorrectiveAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var added = new List<CorrectiveAction>();
        foreach (var chunk in actions.DistinctBy(action => action.Id).Chunk(TableBatch.MaxOperations))
        {
            try
            {
                await Table.SubmitCheckedTransactionAsync([.. chunk.Select(action => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(action)))], cancellationToken);
                added.AddRange(chunk);
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 409)
            {
                // Some exist already (raised before): add the others one by one.
                foreach (var action in chunk)
                {
                    if (await Table.TryAddAsync(ToEntity(action), cancellationToken))
                    {
                        added.Add(action);
                    }
                }
            }
        }

        return added;
    }

    public async Task<CorrectiveAction?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    /// <summary>One vendor's actions, oldest first: a range query on the vendor's key prefix.</summary>
    public async Task<IReadOnlyList<CorrectiveAction>> ListForVendorAsync(string vendorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        // '/' follows '.' in ordinal order: every key "{vendorId}.…" and nothing else.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {vendorId + "."} and RowKey lt {vendorId + "/"}");
        return await QueryAsync(filter, cancellationToken);
    }

    /// <summary>Every action (optionally in one status): one partition query.</summary>
    public async Task<IReadOnlyList<CorrectiveAction>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Status eq {status}");
        return await QueryAsync(filter, cancellationToken);
    }

    /// <summary>
    /// Read-modify-write under the row's ETag (re-applied on a conflict). <paramref name="change"/> returns null when
    /// there is nothing to change; it must be safe to run more than once. Null when there is no such action.
    /// </summary>
    public async Task<ActionUpdate?> UpdateAsync(string id, Func<CorrectiveAction, CorrectiveAction?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!IsId(id))
        {
            return null;
        }

        CorrectiveAction? before = null;
        CorrectiveAction? after = null;
        var row = await Table.UpdateWithRetryAsync<TableEntity>(Partition, id, entity =>
        {
            before = FromEntity(entity);
            after = change(before);
            if (after is null)
            {
                return false;
            }

            Fill(entity, after);
            return true;
        }, cancellationToken);
        return row is null ? null : new ActionUpdate(before!, after ?? before!, after is not null);
    }

    /// <summary>"{vendorId}.{8 lowercase hex}": what the ids this store hands out look like.</summary>
    public static bool IsId(string? id) =>
        id is { Length: > 12 and <= 80 } && id[^9] == '.' && id[^8..].All(char.IsAsciiHexDigitLower) && id[..^9].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private async Task<IReadOnlyList<CorrectiveAction>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var actions = new List<CorrectiveAction>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            actions.Add(FromEntity(row));
        }

        return actions;
    }

    private static CorrectiveAction FromEntity(TableEntity row) => JsonSerializer.Deserialize<CorrectiveAction>(row.GetString("Data"), Json)!;

    private static TableEntity ToEntity(CorrectiveAction action)
    {
        var entity = new TableEntity(Partition, action.Id);
        Fill(entity, action);
        return entity;
    }

    private static void Fill(TableEntity entity, CorrectiveAction action)
    {
        entity["VendorId"] = action.VendorId;
        entity["Status"] = action.Status;
        entity["Track"] = action.Track;
        entity["DueOn"] = action.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        entity["Data"] = JsonSerializer.Serialize(action, Json);
    }
}

/// <summary>An action before and after an update; <see cref="Changed"/> false when there was nothing to change.</summary>
public sealed record ActionUpdate(CorrectiveAction Before, CorrectiveAction After, bool Changed);
