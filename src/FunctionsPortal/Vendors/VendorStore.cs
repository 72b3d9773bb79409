using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Vendors;

/// <summary>
/// The vendor registry in Table storage (see <see cref="VendorEntity"/> for the keys). Every change is
/// ETag-guarded; a vendor and its corporate-number reservation change in one transaction, so two vendors can
/// never hold the same number.
/// </summary>
public sealed class VendorStore(PortalStorage storage, TimeProvider timeProvider)
{
    public const string TableName = "vendors";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    public static string NewId() => "v" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Adds a vendor under the given id (callers choose ids so retries are idempotent).</summary>
    public async Task<VendorRecord> AddAsync(string id, Vendor vendor, string by, CancellationToken cancellationToken)
    {
        var entity = ToEntity(id, vendor, null, by);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, entity), new(TableTransactionActionType.UpsertReplace, AttentionRow(id, vendor)) };
        if (vendor.CorporateNumber is { Length: > 0 } number)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, id)));
        }

        try
        {
            var response = await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
            return ToRecord(entity, response.Value[0].Headers.ETag ?? default);
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            var holder = vendor.CorporateNumber is { Length: > 0 } taken ? await HolderOfAsync(taken, cancellationToken) : null;
            throw new VendorConflictException(holder is not null && holder != id
                ? $"Corporate number {vendor.CorporateNumber} is already registered for vendor {holder}."
                : $"A vendor with id {id} already exists.");
        }
    }

    /// <summary>
    /// Adds many new vendors in transactions of up to 100 rows (each vendor with its corporate-number and attention rows):
    /// for seeding large registries (benchmarks, demo data). No validation beyond the store's; a vendor or number that
    /// exists fails its transaction with <see cref="TableTransactionFailedException"/>.
    /// </summary>
    public async Task AddManyAsync(IReadOnlyList<(string Id, Vendor Vendor)> vendors, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendors);
        var batch = new List<TableTransactionAction>();
        foreach (var (id, vendor) in vendors)
        {
            var rows = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(id, vendor, null, by)), new(TableTransactionActionType.UpsertReplace, AttentionRow(id, vendor)) };
            if (vendor.CorporateNumber is { Length: > 0 } number)
            {
                rows.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, id)));
            }

            if (batch.Count + rows.Count > TableBatch.MaxOperations)
            {
                await Table.SubmitCheckedTransactionAsync(batch, cancellationToken);
                batch = [];
            }

            batch.AddRange(rows);
        }

        if (batch.Count > 0)
        {
            await Table.SubmitCheckedTransactionAsync(batch, cancellationToken);
        }
    }

    /// <summary>Replaces the vendor if it still has <paramref name="etag"/>; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    public async Task<VendorRecord> UpdateAsync(string id, string etag, Vendor vendor, string by, CancellationToken cancellationToken)
    {
        var current = await FindAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
        return await ReplaceAsync(current with { ETag = etag }, vendor, current.RiskOverride, by, cancellationToken);
    }

    public async Task<VendorRecord> SetRiskOverrideAsync(string id, string etag, RiskTierOverride? riskOverride, string by, CancellationToken cancellationToken)
    {
        var current = await FindAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
        return await ReplaceAsync(current with { ETag = etag }, current.Vendor, riskOverride, by, cancellationToken);
    }

    public async Task<VendorRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<VendorEntity>(VendorEntity.Partition, VendorEntity.VendorPrefix + id, cancellationToken: cancellationToken);
        return row.HasValue ? ToRecord(row.Value!, row.Value!.ETag) : null;
    }

    public async Task<string?> HolderOfAsync(string corporateNumber, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<VendorEntity>(VendorEntity.Partition, VendorEntity.CorporateNumberPrefix + corporateNumber, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.VendorId : null;
    }

    /// <summary>A vendor's direct subcontractors (the filter runs in storage, so only they come back).</summary>
    public async Task<IReadOnlyList<VendorRecord>> ChildrenAsync(string parentId, CancellationToken cancellationToken)
    {
        var records = new List<VendorRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {VendorEntity.VendorPrefix} and RowKey lt {"v."} and ParentId eq {parentId}");
        await foreach (var row in Table.QueryAsync<VendorEntity>(filter, cancellationToken: cancellationToken))
        {
            records.Add(ToRecord(row, row.ETag));
        }

        return records;
    }

    /// <summary>The versions a vendor's record had before its current one, newest first (a bounded range of one partition).</summary>
    public async Task<IReadOnlyList<VendorRecord>> PreviousVersionsAsync(string id, int limit, CancellationToken cancellationToken)
    {
        var records = new List<VendorRecord>();
        var prefix = HistoryPrefix(id);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        await foreach (var row in Table.QueryAsync<VendorEntity>(filter, maxPerPage: limit, cancellationToken: cancellationToken))
        {
            records.Add(new VendorRecord(id, "", JsonSerializer.Deserialize<Vendor>(row.Data, Json)!,
                row.RiskOverride is null ? null : JsonSerializer.Deserialize<RiskTierOverride>(row.RiskOverride, Json), row.UpdatedAt, row.UpdatedBy));
            if (records.Count >= limit)
            {
                break;
            }
        }

        return records;
    }

    /// <summary>Every vendor and subcontractor (one partition scan; the registry is small).</summary>
    public async Task<IReadOnlyList<VendorRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<VendorRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {VendorEntity.VendorPrefix} and RowKey lt {"v."}");
        await foreach (var row in Table.QueryAsync<VendorEntity>(filter, cancellationToken: cancellationToken))
        {
            records.Add(ToRecord(row, row.ETag));
        }

        return records;
    }

    private async Task<VendorRecord> ReplaceAsync(VendorRecord current, Vendor vendor, RiskTierOverride? riskOverride, string by, CancellationToken cancellationToken)
    {
        var entity = ToEntity(current.Id, vendor, riskOverride, by);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, entity, new ETag(current.ETag)),

            // The version this change replaces is kept, in the same transaction: a profile is never edited away.
            new(TableTransactionActionType.Add, HistoryRow(current, entity.UpdatedAt)),
            new(TableTransactionActionType.UpsertReplace, AttentionRow(current.Id, vendor)),
        };
        var before = current.Vendor.CorporateNumber;
        if (!string.Equals(before, vendor.CorporateNumber, StringComparison.Ordinal))
        {
            if (before is { Length: > 0 })
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, IndexRow(before, current.Id), ETag.All));
            }

            if (vendor.CorporateNumber is { Length: > 0 } number)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, current.Id)));
            }
        }

        try
        {
            var response = await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
            return ToRecord(entity, response.Value[0].Headers.ETag ?? default);
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 412 || (exception.Status == 404 && exception.FailedTransactionActionIndex == 0))
        {
            throw new ConcurrencyConflictException($"Vendor {current.Id} was changed by someone else since you read it; reload and apply your change again.", exception);
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            throw new VendorConflictException($"Corporate number {vendor.CorporateNumber} is already registered for vendor {await HolderOfAsync(vendor.CorporateNumber!, cancellationToken)}.");
        }
    }

    /// <summary>
    /// Vendors that need a person: subcontractors waiting for prior approval, and certifications
    /// expired or expiring by <paramref name="expiringBy"/> — one query over the small attention rows, never the registry.
    /// </summary>
    public async Task<IReadOnlyList<VendorAttention>> AttentionAsync(DateOnly expiringBy, CancellationToken cancellationToken)
    {
        var limit = expiringBy.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {VendorEntity.Partition} and RowKey ge {AttentionPrefix} and RowKey lt {"a."} and Active eq {true} and (ApprovalRequested eq {true} or CertExpiresOn le {limit})");
        var found = new List<VendorAttention>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var expires = row.GetString("CertExpiresOn") is { } date ? DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
            found.Add(new VendorAttention(
                row.RowKey[AttentionPrefix.Length..], row.GetString("NameJa"), row.GetString("Category"), row.GetString("OwnerEmail"),
                row.GetBoolean("ApprovalRequested") == true, expires is { } on && on <= expiringBy ? on : null, row.GetString("CertType")));
        }

        return found;
    }

    private const string AttentionPrefix = "a-";

    /// <summary>Every vendor has one (a transaction keeps it with the vendor); Active says whether it can need attention at all.</summary>
    private static TableEntity AttentionRow(string id, Vendor vendor)
    {
        var certificate = vendor.Certifications.Where(certification => certification.ExpiresOn is not null).MinBy(certification => certification.ExpiresOn);
        var row = new TableEntity(VendorEntity.Partition, AttentionPrefix + id)
        {
            ["NameJa"] = vendor.LegalName.Ja,
            ["Category"] = vendor.BusinessCategory,
            ["OwnerEmail"] = vendor.InternalOwner?.Email,
            ["ApprovalRequested"] = vendor.PriorApproval?.Status == "requested",
            ["Active"] = vendor.LifecycleStatus is not ("terminating" or "terminated"),
        };
        if (certificate is not null)
        {
            row["CertExpiresOn"] = certificate.ExpiresOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            row["CertType"] = certificate.Type;
        }

        return row;
    }

    private VendorEntity ToEntity(string id, Vendor vendor, RiskTierOverride? riskOverride, string by) => new()
    {
        RowKey = VendorEntity.VendorPrefix + id,
        Data = JsonSerializer.Serialize(vendor, Json),
        RiskOverride = riskOverride is null ? null : JsonSerializer.Serialize(riskOverride, Json),
        ParentId = vendor.ParentId,
        NameJa = vendor.LegalName.Ja,
        CorporateNumber = vendor.CorporateNumber,
        LifecycleStatus = vendor.LifecycleStatus,
        UpdatedAt = timeProvider.GetUtcNow(),
        UpdatedBy = by,
    };

    /// <summary>"h-{id}|{ticks to the end of time}": a vendor's old versions sort newest first and outside the "v-" range of current records.</summary>
    private static VendorEntity HistoryRow(VendorRecord replaced, DateTimeOffset replacedAt) => new()
    {
        RowKey = HistoryPrefix(replaced.Id) + (DateTimeOffset.MaxValue.UtcTicks - replacedAt.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture),
        Data = JsonSerializer.Serialize(replaced.Vendor, Json),
        RiskOverride = replaced.RiskOverride is null ? null : JsonSerializer.Serialize(replaced.RiskOverride, Json),
        NameJa = replaced.Vendor.LegalName.Ja,
        LifecycleStatus = replaced.Vendor.LifecycleStatus,
        UpdatedAt = replaced.UpdatedAt,
        UpdatedBy = replaced.UpdatedBy,
    };

    private static string HistoryPrefix(string id) => $"{VendorEntity.HistoryPrefix}{id}|";

    private static VendorEntity IndexRow(string corporateNumber, string vendorId) => new()
    {
        RowKey = VendorEntity.CorporateNumberPrefix + corporateNumber,
        VendorId = vendorId,
        NameJa = "",
        LifecycleStatus = "",
    };

    private static VendorRecord ToRecord(VendorEntity entity, ETag etag) => new(
        entity.RowKey[VendorEntity.VendorPrefix.Length..],
        etag.ToString(),
        JsonSerializer.Deserialize<Vendor>(entity.Data, Json)!,
        entity.RiskOverride is null ? null : JsonSerializer.Deserialize<RiskTierOverride>(entity.RiskOverride, Json),
        entity.UpdatedAt,
        entity.UpdatedBy);
}

/// <summary>A vendor that needs a person: waiting for prior approval, and/or its earliest certification expiring (or expired) by then.</summary>
public sealed record VendorAttention(string VendorId, string NameJa, string? Category, string? OwnerEmail, bool ApprovalRequested, DateOnly? CertificationExpiresOn, string? CertificationType);

public sealed class VendorConflictException(string message) : Exception(message);

public sealed class VendorNotFoundException(string id) : Exception($"Vendor {id} does not exist.")
{
    public string VendorId { get; } = id;
}
