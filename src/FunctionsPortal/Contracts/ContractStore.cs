using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Contracts;

/// <summary>
/// Table "contracts": PartitionKey = vendor id, so everything here is a point read or a query of one vendor's partition.
/// Rows "doc~{id}" hold a <see cref="ContractDocument"/> as JSON; rows "dd~{assignment key}" note a due-diligence survey
/// reviewers accepted (told by the review, see <see cref="DueDiligenceAcceptances"/>), which the activation gate reads.
/// </summary>
public sealed class ContractStore(PortalStorage storage)
{
    public const string TableName = "contracts";

    private const string DocumentPrefix = "doc~";
    private const string DueDiligencePrefix = "dd~";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    public async Task AddAsync(ContractDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var row = new TableEntity(document.VendorId, DocumentPrefix + document.Id)
        {
            ["Kind"] = document.Kind,
            ["Data"] = JsonSerializer.Serialize(document, Json),
        };
        if (!await Table.TryAddAsync(row, cancellationToken))
        {
            throw new InvalidOperationException($"Contract document {document.Id} of {document.VendorId} exists already.");
        }
    }

    public async Task<ContractDocument?> FindAsync(string vendorId, string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(vendorId, DocumentPrefix + id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    /// <summary>The vendor's documents, the latest start first (one partition's range).</summary>
    public async Task<IReadOnlyList<ContractDocument>> ListAsync(string vendorId, CancellationToken cancellationToken)
    {
        var documents = new List<ContractDocument>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {vendorId} and RowKey ge {DocumentPrefix} and RowKey lt {"doc~~"}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            documents.Add(FromEntity(row));
        }

        return documents.OrderByDescending(document => document.StartOn).ThenByDescending(document => document.RecordedAt).ToList();
    }

    /// <summary>Notes an accepted due-diligence survey (idempotent: accepting again rewrites the same row).</summary>
    public Task RecordDueDiligenceAcceptedAsync(string vendorId, string assignmentKey, DateTimeOffset at, string by, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(new TableEntity(vendorId, DueDiligencePrefix + assignmentKey) { ["At"] = at, ["By"] = by }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>The vendor's documents (the latest start first) and whether reviewers accepted one of its due-diligence surveys: one partition query.</summary>
    public async Task<VendorContractFile> ReadVendorAsync(string vendorId, CancellationToken cancellationToken)
    {
        var documents = new List<ContractDocument>();
        var dueDiligenceAccepted = false;
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {vendorId}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(DocumentPrefix, StringComparison.Ordinal))
            {
                documents.Add(FromEntity(row));
            }
            else if (row.RowKey.StartsWith(DueDiligencePrefix, StringComparison.Ordinal))
            {
                dueDiligenceAccepted = true;
            }
        }

        return new VendorContractFile(documents.OrderByDescending(document => document.StartOn).ThenByDescending(document => document.RecordedAt).ToList(), dueDiligenceAccepted);
    }

    private static ContractDocument FromEntity(TableEntity row) => JsonSerializer.Deserialize<ContractDocument>(row.GetString("Data"), Json)!;
}

/// <summary>What the contracts table holds for one vendor: its documents, and whether a due diligence of it was accepted.</summary>
public sealed record VendorContractFile(IReadOnlyList<ContractDocument> Documents, bool DueDiligenceAccepted);
