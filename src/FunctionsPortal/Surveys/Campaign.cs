using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Surveys;

/// <summary>A survey staff launch for a set of vendors, e.g. "FY2026 annual survey, all active vendors, due 30 days after sending".</summary>
public sealed record Campaign(
    string Id,
    string Name,
    string Kind,
    string ChecklistId,
    int ChecklistVersion,
    DateOnly DueOn,
    CampaignTarget Target,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    bool Active = true);

/// <summary>Which vendors a campaign asks: all filters that are set must hold (none set: every active vendor).</summary>
public sealed record CampaignTarget(
    IReadOnlyList<string>? Tiers = null,
    IReadOnlyList<string>? BusinessCategories = null,
    IReadOnlyList<string>? VendorIds = null,
    bool IncludeSubcontractors = false);

/// <summary>Table "campaigns" (PartitionKey "campaign", RowKey = id; the record as JSON).</summary>
public sealed class CampaignStore(PortalStorage storage)
{
    public const string TableName = "campaigns";
    private const string Partition = "campaign";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    public Task<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return Table.TryAddAsync(new TableEntity(Partition, campaign.Id) { ["Data"] = JsonSerializer.Serialize(campaign, Json), ["Active"] = campaign.Active }, cancellationToken);
    }

    public async Task<Campaign?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return row.HasValue ? JsonSerializer.Deserialize<Campaign>(row.Value!.GetString("Data"), Json) : null;
    }

    public async Task<IReadOnlyList<Campaign>> ListAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        var campaigns = new List<Campaign>();
        var filter = activeOnly ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Active eq {true}") : TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            campaigns.Add(JsonSerializer.Deserialize<Campaign>(row.GetString("Data"), Json)!);
        }

        return campaigns;
    }
}
