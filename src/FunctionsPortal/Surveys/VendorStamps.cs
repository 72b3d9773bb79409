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
// Only storage is injected: the assignment store's change sinks reach the vendor store, whose change sinks include this.
public sealed class VendorStamps(PortalStorage storage, TimeProvider clock) : IVendorChangeSink
{
    public const string Column = "VendorStamp";

    /// <summary>
    /// How long a page may keep what it derived under one stamp: a backstop for a process that stopped between writing a
    /// vendor and marking its assignments, and for surveys older than the cycles marked (and for the date, which
    /// certifications depend on, it is keyed by day as well).
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    /// <summary>The surveys marked: those created lately, which a vendor can still be answering (links last months, not years).</summary>
    private const int RecentMonths = 13;

    private readonly VendorCycleIndex _vendorCycles = new(storage);

    private TableClient Table => storage.GetTable(AssignmentStore.TableName);

    public async Task VendorsChangedAsync(IReadOnlyCollection<string> vendorIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendorIds);
        if (vendorIds.Count == 0)
        {
            return;
        }

        var stamp = Guid.NewGuid().ToString("N");
        var since = clock.GetUtcNow().AddMonths(-RecentMonths);

        // Per vendor, its cycles (one range query), then one range query per cycle: never a scan.
        foreach (var vendorId in vendorIds.Distinct(StringComparer.Ordinal))
        {
            var cycles = await _vendorCycles.CyclesAsync(vendorId, since, cancellationToken);
            await Task.WhenAll(cycles.Select(cycle => MarkAsync(cycle, vendorId, stamp, cancellationToken)));
        }
    }

    private async Task MarkAsync(string cycle, string vendorId, string stamp, CancellationToken cancellationToken)
    {
        var filter = AssignmentStore.VendorRangeFilter(cycle, vendorId);
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
