using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Gives every assignment of a vendor a new <see cref="Assignment.VendorStamp"/> after something a vendor page derives
/// from the vendor changed: its record, its subcontractors (the profile) or its sealed submissions (last cycle). The
/// vendor pages keep those per assignment and stamp, and read the assignment on every request anyway, so every
/// instance sees the change on its next request without reading the vendor again in between. The column is merged
/// alone (Data untouched); a concurrent read-modify-write of the assignment then fails its ETag and re-reads, so no
/// write can put an older stamp back.
/// </summary>
public sealed class VendorStamps(PortalStorage storage) : IVendorChangeSink
{
    public const string Column = "VendorStamp";

    /// <summary>
    /// How long a page may keep what it derived under one stamp: a backstop for a process that stopped between writing a
    /// vendor and marking its assignments (and for the date, which certifications depend on, it is keyed by day as well).
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>Up to 15 comparisons per filter (the Table service's limit): vendors are marked ten at a time.</summary>
    private const int VendorsPerQuery = 10;

    private TableClient Table => storage.GetTable(AssignmentStore.TableName);

    public async Task VendorsChangedAsync(IReadOnlyCollection<string> vendorIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendorIds);
        var stamp = Guid.NewGuid().ToString("N");
        foreach (var chunk in vendorIds.Distinct(StringComparer.Ordinal).Chunk(VendorsPerQuery))
        {
            // Across cycles (the partitions), on the VendorId column: rare (a vendor edit, a seal), and it finds the few rows of these vendors.
            var filter = string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"VendorId eq {id}")));
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                try
                {
                    await Table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { [Column] = stamp }, ETag.All, TableUpdateMode.Merge, cancellationToken);
                }
                catch (RequestFailedException exception) when (exception.Status == 404)
                {
                    // Deleted since the query listed it: nothing left to mark.
                }
            }
        }
    }
}
