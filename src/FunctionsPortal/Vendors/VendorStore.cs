using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Vendors;

/// <summary>The vendor registry in Table storage (table "vendors"; see <see cref="VendorEntity"/> for keys).</summary>
public sealed class VendorStore(PortalStorage storage)
{
    public const string TableName = "vendors";

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Adds the vendor unless its id exists; returns false when it does.</summary>
    public Task<bool> TryAddAsync(Vendor vendor, CancellationToken cancellationToken) =>
        Table.TryAddAsync(VendorEntity.From(vendor), cancellationToken);

    public async Task<Vendor?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<VendorEntity>(VendorEntity.Partition, id, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToVendor() : null;
    }

    public async Task<IReadOnlyList<Vendor>> ListAsync(CancellationToken cancellationToken)
    {
        var vendors = new List<Vendor>();
        await foreach (var row in Table.QueryAsync<VendorEntity>(entity => entity.PartitionKey == VendorEntity.Partition, cancellationToken: cancellationToken))
        {
            vendors.Add(row.ToVendor());
        }

        return vendors;
    }
}
