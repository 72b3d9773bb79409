using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// Table "registryproposals": PartitionKey the vendor id, RowKey the proposal id ("{field}-{hash}": the same answer from the
/// same survey is the same proposal, so a submission sealed or notified twice adds nothing). The record is JSON in
/// <c>Data</c>; Field and Status are columns. Reads are point reads or the vendor's one partition, never a scan.
/// </summary>
public sealed class ProposalStore(PortalStorage storage)
{
    public const string TableName = "registryproposals";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Adds the proposal unless one with its id exists; false when it did.</summary>
    public Task<bool> TryAddAsync(RegistryProposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return Table.TryAddAsync(ToEntity(proposal), cancellationToken);
    }

    public async Task<StoredProposal?> FindAsync(string vendorId, string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(vendorId, id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>The vendor's proposals, newest first (one partition).</summary>
    public async Task<IReadOnlyList<StoredProposal>> ListAsync(string vendorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        var proposals = new List<StoredProposal>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {vendorId}"), cancellationToken: cancellationToken))
        {
            proposals.Add(FromEntity(row));
        }

        return proposals.OrderByDescending(stored => stored.Proposal.ProposedAt).ThenBy(stored => stored.Proposal.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces the proposal if it still has the ETag it was read with; <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    public async Task<StoredProposal> ReplaceAsync(StoredProposal stored, RegistryProposal changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(changed);
        var entity = ToEntity(changed);
        entity.ETag = new ETag(stored.ETag);
        var etag = await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
        return new StoredProposal(changed, etag.ToString());
    }

    private static TableEntity ToEntity(RegistryProposal proposal) => new(proposal.VendorId, proposal.Id)
    {
        ["Field"] = proposal.Field,
        ["Status"] = proposal.Status,
        ["Data"] = JsonSerializer.Serialize(proposal, Json),
    };

    private static StoredProposal FromEntity(TableEntity entity) =>
        new(JsonSerializer.Deserialize<RegistryProposal>(entity.GetString("Data"), Json)!, entity.ETag.ToString());
}

/// <summary>A proposal as stored, with the ETag a decision must present.</summary>
public sealed record StoredProposal(RegistryProposal Proposal, string ETag);
