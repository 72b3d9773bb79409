using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.ManagementLevels;

/// <summary>
/// Table "management": one partition ("mgmt"), RowKey = vendor id, the vendor's <see cref="VendorManagement"/> as JSON
/// with its level as a column. The vendor page reads it with one point read; the daily check scheduler lists the
/// vendors under a level with one partition query. A vendor that never had an occurrence has no row (normal level).
/// </summary>
public sealed class ManagementStore(PortalStorage storage)
{
    public const string TableName = "management";
    public const string Partition = "mgmt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    public async Task<VendorManagement> GetAsync(string vendorId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, vendorId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : new VendorManagement { VendorId = vendorId };
    }

    /// <summary>Every vendor under Level I or II: one partition query.</summary>
    public async Task<IReadOnlyList<VendorManagement>> ListManagedAsync(CancellationToken cancellationToken)
    {
        var managed = new List<VendorManagement>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Level ne {Levels.Normal}"), cancellationToken: cancellationToken))
        {
            managed.Add(FromEntity(row));
        }

        return managed;
    }

    /// <summary>Read-modify-write under the row's ETag (a missing row starts from the normal level); <paramref name="change"/> may run more than once.</summary>
    public async Task<(VendorManagement Before, VendorManagement After)> UpdateAsync(string vendorId, Func<VendorManagement, VendorManagement> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, vendorId, cancellationToken: cancellationToken);
            var exists = row.HasValue && row.Value is not null;
            var before = exists ? FromEntity(row.Value!) : new VendorManagement { VendorId = vendorId };
            var after = change(before);
            if (after == before)
            {
                return (before, before);
            }

            var entity = exists ? row.Value! : new TableEntity(Partition, vendorId);
            entity["Level"] = after.Level;
            entity["Data"] = JsonSerializer.Serialize(after, Json);
            try
            {
                if (exists)
                {
                    await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
                }
                else if (!await Table.TryAddAsync(entity, cancellationToken))
                {
                    continue; // created by someone else meanwhile: apply the change to theirs
                }

                return (before, after);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Lost the race: read again and re-apply.
            }
        }
    }

    private static VendorManagement FromEntity(TableEntity row) => JsonSerializer.Deserialize<VendorManagement>(row.GetString("Data"), Json)!;
}
