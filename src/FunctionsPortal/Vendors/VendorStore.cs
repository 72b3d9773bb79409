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
public sealed class VendorStore(PortalStorage storage, RiskTiering tiering, TimeProvider timeProvider, IEnumerable<IVendorChangeSink>? changeSinks = null)
{
    public const string TableName = "vendors";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    public static string NewId() => "v" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Adds a vendor under the given id (callers choose ids so retries are idempotent).</summary>
    public async Task<VendorRecord> AddAsync(string id, Vendor vendor, string by, CancellationToken cancellationToken)
    {
        var entity = ToEntity(id, vendor, null, by);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, entity), new(TableTransactionActionType.Add, ListRow(id, vendor, null, false)) };
        actions.AddRange(AttentionActions(id, vendor));
        if (Reserved(vendor) is { Length: > 0 } number)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, id)));
        }

        // The parent now has a subcontractor, which can raise its tier: its list row changes with this one.
        if (vendor.ParentId is { } parentId && await ParentListRowAsync(parentId, true, cancellationToken) is { } parentRow)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, parentRow));
        }

        actions.AddRange(ScopeActions(id, vendor));
        try
        {
            var response = await SubmitVendorChangeAsync(actions, cancellationToken);
            await ChangedAsync([id, vendor.ParentId], cancellationToken);
            return ToRecord(entity, response.Value[0].Headers.ETag ?? default);
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            var holder = Reserved(vendor) is { Length: > 0 } taken ? await HolderOfAsync(taken, cancellationToken) : null;
            throw new VendorConflictException(holder is not null && holder != id
                ? $"Corporate number {vendor.CorporateNumber} is already registered for vendor {holder}."
                : $"A vendor with id {id} already exists.");
        }
    }

    /// <summary>
    /// Adds many new vendors in transactions of up to 100 rows (each vendor with its corporate-number, attention and scope rows):
    /// for seeding large registries (benchmarks, demo data). No validation beyond the store's; a vendor or number that
    /// exists fails its transaction with <see cref="TableTransactionFailedException"/>.
    /// </summary>
    public async Task AddManyAsync(IReadOnlyList<(string Id, Vendor Vendor)> vendors, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vendors);
        var batch = new List<TableTransactionAction>();

        // Parents among the seeded vendors get their subcontractor flag here; parents already stored are left to RebuildListIndexAsync.
        var parents = vendors.Select(pair => pair.Vendor.ParentId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (id, vendor) in vendors)
        {
            var rows = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(id, vendor, null, by)), new(TableTransactionActionType.Add, ListRow(id, vendor, null, parents.Contains(id))) };
            rows.AddRange(AttentionActions(id, vendor));
            if (Reserved(vendor) is { Length: > 0 } number)
            {
                rows.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, id)));
            }

            rows.AddRange(ScopeActions(id, vendor));
            if (batch.Count + rows.Count > TableBatch.MaxOperations && batch.Count > 0)
            {
                await Table.SubmitCheckedTransactionAsync(batch, cancellationToken);
                batch = [];
            }

            if (rows.Count > TableBatch.MaxOperations)
            {
                // A vendor with more scope rows than a transaction holds goes alone, its record first.
                await SubmitVendorChangeAsync(rows, cancellationToken);
                continue;
            }

            batch.AddRange(rows);
        }

        if (batch.Count > 0)
        {
            await Table.SubmitCheckedTransactionAsync(batch, cancellationToken);
        }

        await ChangedAsync(parents, cancellationToken);
    }

    /// <summary>Tells the sinks which vendors changed (after the write, so whoever re-reads then sees it).</summary>
    private async Task ChangedAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var changed = ids.OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var sink in changeSinks ?? [])
        {
            await sink.VendorsChangedAsync(changed, cancellationToken);
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

    /// <summary>
    /// Those of these vendors that exist, by id: point reads for a few, else one query over the RowKey range from the
    /// first to the last id (a batch of survey mail names neighbours in id order), never the whole registry.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, VendorRecord>> FindManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, VendorRecord>(StringComparer.Ordinal);
        if (wanted.Count <= TableReads.PointReadLimit)
        {
            foreach (var id in wanted)
            {
                if (await FindAsync(id, cancellationToken) is { } record)
                {
                    found[id] = record;
                }
            }

            return found;
        }

        var set = wanted.ToHashSet(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {VendorEntity.VendorPrefix + wanted[0]} and RowKey le {VendorEntity.VendorPrefix + wanted[^1]}");
        await foreach (var row in Table.QueryAsync<VendorEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var id = row.RowKey[VendorEntity.VendorPrefix.Length..];
            if (set.Contains(id))
            {
                found[id] = ToRecord(row, row.ETag);
            }
        }

        return found;
    }

    public async Task<string?> HolderOfAsync(string corporateNumber, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<VendorEntity>(VendorEntity.Partition, VendorEntity.CorporateNumberPrefix + corporateNumber, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.VendorId : null;
    }

    /// <summary>
    /// A vendor's row and whether it has any direct subcontractor, in one round trip: the same range of vendor rows
    /// <see cref="ChildrenAsync"/> filters, with the vendor's own row let through too.
    /// </summary>
    public async Task<(VendorRecord Record, bool HasSubcontractors)?> FindWithChildrenAsync(string id, CancellationToken cancellationToken)
    {
        VendorRecord? found = null;
        var hasSubcontractors = false;
        var rowKey = VendorEntity.VendorPrefix + id;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {VendorEntity.VendorPrefix} and RowKey lt {"v."} and (RowKey eq {rowKey} or ParentId eq {id})");
        await foreach (var row in Table.QueryAsync<VendorEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == rowKey)
            {
                found = ToRecord(row, row.ETag);
            }

            hasSubcontractors |= row.ParentId == id;
        }

        return found is null ? null : (found, hasSubcontractors);
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
        };
        actions.AddRange(await StaleAttentionDeletesAsync(current.Id, current.Vendor, vendor, cancellationToken));
        actions.AddRange(AttentionActions(current.Id, vendor));

        // The list row follows the record (its key moves when the name does); whether it has subcontractors is kept from the old row.
        var oldListKey = ListKey(current.Vendor.LegalName.Ja, current.Id);
        var oldList = await Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, oldListKey, ["HasSubcontractors"], cancellationToken);
        var hasSubcontractors = oldList.HasValue ? oldList.Value!.GetBoolean("HasSubcontractors") == true : (await ChildrenAsync(current.Id, cancellationToken)).Count > 0;
        var listRow = ListRow(current.Id, vendor, riskOverride, hasSubcontractors);
        var listed = vendor.Match?.Linked != true;
        if ((listRow.RowKey != oldListKey || !listed) && oldList.HasValue)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(VendorEntity.Partition, oldListKey), ETag.All));
        }

        // A linked declaration is only its parent's reference to a registered vendor: it has no row of its own in the staff list.
        if (listed)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, listRow));
        }
        if (!string.Equals(current.Vendor.ParentId, vendor.ParentId, StringComparison.Ordinal))
        {
            if (vendor.ParentId is { } parentId && parentId != current.Id && await ParentListRowAsync(parentId, true, cancellationToken) is { } parentRow)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, parentRow));
            }

            if (current.Vendor.ParentId is { } oldParentId && oldParentId != current.Id)
            {
                var stillParent = (await ChildrenAsync(oldParentId, cancellationToken)).Any(child => child.Id != current.Id);
                if (await ParentListRowAsync(oldParentId, stillParent, cancellationToken) is { } oldParentRow)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, oldParentRow));
                }
            }
        }
        var before = Reserved(current.Vendor);
        if (!string.Equals(before, Reserved(vendor), StringComparison.Ordinal))
        {
            if (before is { Length: > 0 })
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, IndexRow(before, current.Id), ETag.All));
            }

            if (Reserved(vendor) is { Length: > 0 } number)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, IndexRow(number, current.Id)));
            }
        }

        // Scope rows last: every current one rewritten (its projection may have changed), the old version's others deleted.
        actions.AddRange(await StaleScopeDeletesAsync(current.Id, current.Vendor, vendor, cancellationToken));
        actions.AddRange(ScopeActions(current.Id, vendor));
        try
        {
            var response = await SubmitVendorChangeAsync(actions, cancellationToken);
            await ChangedAsync([current.Id, current.Vendor.ParentId, vendor.ParentId], cancellationToken);
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
    /// Vendors that need a person: subcontractors waiting for prior approval, and certifications expired or expiring by
    /// <paramref name="expiringBy"/>. One range query over rows that exist only for vendors that can need attention
    /// ("a-appr-{id}" while approval is requested, "a-cert-{date}-{id}" keyed by the earliest expiry), so what is read
    /// is bounded by what is shown, never by the registry's size.
    /// </summary>
    public async Task<IReadOnlyList<VendorAttention>> AttentionAsync(DateOnly expiringBy, CancellationToken cancellationToken)
    {
        var limit = expiringBy.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // "a-appr-…" sorts just before "a-cert-…", so one range reads every approval row and the certificates up to the limit
        // ("~" sorts after every id character, so the range ends after the last vendor expiring on the limit day).
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {ApprovalPrefix} and RowKey le {CertificatePrefix + limit + "-~"}");
        var byId = new Dictionary<string, VendorAttention>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            // Rows of the old format (one per vendor, no VendorId) until the index is rebuilt are not attention rows.
            if (row.GetString("VendorId") is not { } id || !(row.RowKey.StartsWith(ApprovalPrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(CertificatePrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            var expires = row.GetString("CertExpiresOn") is { } date ? DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : (DateOnly?)null;
            var attention = new VendorAttention(
                id, row.GetString("NameJa"), row.GetString("Category"), row.GetString("OwnerEmail"),
                row.GetBoolean("ApprovalRequested") == true, expires is { } on && on <= expiringBy ? on : null, row.GetString("CertType"));
            byId[id] = byId.TryGetValue(id, out var seen)
                ? seen with { ApprovalRequested = seen.ApprovalRequested || attention.ApprovalRequested, CertificationExpiresOn = seen.CertificationExpiresOn ?? attention.CertificationExpiresOn, CertificationType = seen.CertificationType ?? attention.CertificationType }
                : attention;
        }

        return [.. byId.Values];
    }

    private const string AttentionPrefix = "a-";
    private const string ApprovalPrefix = "a-appr-";
    private const string CertificatePrefix = "a-cert-";

    /// <summary>The attention rows a vendor should have: none unless it is active and waiting for approval or has an expiring certification.</summary>
    private static List<TableEntity> AttentionRows(string id, Vendor vendor)
    {
        var rows = new List<TableEntity>();
        if (vendor.LifecycleStatus is "terminating" or "terminated" || vendor.Match?.Linked == true)
        {
            return rows;
        }

        var certificate = vendor.Certifications.Where(certification => certification.ExpiresOn is not null).MinBy(certification => certification.ExpiresOn);
        TableEntity Row(string key) => new(VendorEntity.Partition, key)
        {
            ["VendorId"] = id,
            ["NameJa"] = vendor.LegalName.Ja,
            ["Category"] = vendor.BusinessCategory,
            ["OwnerEmail"] = vendor.InternalOwner?.Email,
            ["ApprovalRequested"] = vendor.PriorApproval?.Status == "requested",
            ["CertExpiresOn"] = certificate?.ExpiresOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["CertType"] = certificate?.Type,
        };
        if (vendor.PriorApproval?.Status == "requested")
        {
            rows.Add(Row(ApprovalPrefix + id));
        }

        if (certificate is not null)
        {
            rows.Add(Row(CertificatePrefix + certificate.ExpiresOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "-" + id));
        }

        return rows;
    }

    private static IEnumerable<TableTransactionAction> AttentionActions(string id, Vendor vendor) =>
        AttentionRows(id, vendor).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));

    /// <summary>Deletes for the attention rows the old version had and the new one does not (only those that exist: a delete of a missing row would fail the transaction).</summary>
    private async Task<List<TableTransactionAction>> StaleAttentionDeletesAsync(string id, Vendor before, Vendor after, CancellationToken cancellationToken)
    {
        var keep = AttentionRows(id, after).Select(row => row.RowKey).ToHashSet(StringComparer.Ordinal);
        var deletes = new List<TableTransactionAction>();
        foreach (var stale in AttentionRows(id, before).Where(row => !keep.Contains(row.RowKey)))
        {
            if ((await Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, stale.RowKey, ["VendorId"], cancellationToken)).HasValue)
            {
                deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, stale, ETag.All));
            }
        }

        return deletes;
    }

    private static IEnumerable<TableTransactionAction> ScopeActions(string id, Vendor vendor) =>
        VendorScopeIndex.Rows(VendorEntity.Partition, id, vendor).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));

    /// <summary>Deletes for the scope rows the old version had and the new one does not, only those that exist (a vendor stored before the index has none).</summary>
    private async Task<IEnumerable<TableTransactionAction>> StaleScopeDeletesAsync(string id, Vendor before, Vendor after, CancellationToken cancellationToken)
    {
        var keep = VendorScopeIndex.Rows(VendorEntity.Partition, id, after).Select(row => row.RowKey).ToHashSet(StringComparer.Ordinal);
        var stale = VendorScopeIndex.Rows(VendorEntity.Partition, id, before).Where(row => !keep.Contains(row.RowKey)).ToList();
        var exists = await Task.WhenAll(stale.Select(async row =>
            (await Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, row.RowKey, ["VendorId"], cancellationToken)).HasValue));
        return stale.Where((_, index) => exists[index]).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
    }

    /// <summary>
    /// A vendor's change in one transaction when it fits (the usual case); otherwise its first 100 actions — the record and
    /// every row but scope rows, which come last — and then the scope rows that did not fit (the rebuild repairs them if
    /// this is interrupted between the two).
    /// </summary>
    private async Task<Response<IReadOnlyList<Response>>> SubmitVendorChangeAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var first = await Table.SubmitCheckedTransactionAsync(actions.Take(TableBatch.MaxOperations).ToList(), cancellationToken);
        foreach (var chunk in TableBatch.Chunk(actions.Skip(TableBatch.MaxOperations)))
        {
            await Table.SubmitCheckedTransactionAsync(chunk, cancellationToken);
        }

        return first;
    }

    /// <summary>
    /// The vendors with one scope value (a data category, a system, a location, or a parent for its subcontractors): one
    /// bounded range of the index, a round trip per 1,000 rows. <paramref name="role"/> narrows a country to where the
    /// data is stored or accessed from.
    /// </summary>
    public async Task<IReadOnlyList<VendorScopeRow>> ScopeRowsAsync(string facet, string value, string? role, CancellationToken cancellationToken)
    {
        var filter = VendorScopeIndex.RangeFilter(VendorEntity.Partition, facet, VendorScopeIndex.Normalize(value));
        filter = role switch
        {
            VendorScopeIndex.StorageRole => filter + " and " + TableClient.CreateQueryFilter($"Storage eq {true}"),
            VendorScopeIndex.AccessRole => filter + " and " + TableClient.CreateQueryFilter($"Access eq {true}"),
            _ => filter,
        };
        var rows = new List<VendorScopeRow>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            rows.Add(new VendorScopeRow(
                row.GetString("VendorId"), row.GetString("NameJa") ?? "", row.GetString("ParentId"), row.GetInt64("ApproximateRecords"),
                row.GetString("LifecycleStatus") ?? "", row.GetString("DataCategories") is { Length: > 0 } categories ? categories.Split(',') : [],
                row.GetString("LinkedVendorId")));
        }

        return rows;
    }

    /// <summary>The Japanese names of these vendors that exist: a point read of one column each, side by side.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        var rows = await Task.WhenAll(wanted.Select(id =>
            Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, VendorEntity.VendorPrefix + id, ["NameJa"], cancellationToken)));
        return wanted.Zip(rows).Where(pair => pair.Second.HasValue).ToDictionary(pair => pair.First, pair => pair.Second.Value!.GetString("NameJa") ?? "", StringComparer.Ordinal);
    }

    private const string ListPrefix = "l-";

    /// <summary>
    /// "l-{name as UTF-16 hex}!{id}": hex keeps the ordinal order of the Japanese name with only key-safe characters, and
    /// "!" sorts below every hex digit, so a shorter name sorts before its longer extensions — the order the list shows.
    /// </summary>
    internal static string ListKey(string nameJa, string id)
    {
        var key = new System.Text.StringBuilder(ListPrefix, ListPrefix.Length + (nameJa.Length * 4) + 1 + id.Length);
        foreach (var unit in nameJa)
        {
            key.Append(((int)unit).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }

        return key.Append('!').Append(id).ToString();
    }

    /// <summary>The row the staff list reads: the record plus its tier (computed when written) and the columns the list filters on.</summary>
    private TableEntity ListRow(string id, Vendor vendor, RiskTierOverride? riskOverride, bool hasSubcontractors)
    {
        var profile = VendorProfiles.For(vendor, hasSubcontractors, DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime));
        var risk = tiering.Assess(profile, riskOverride);
        return new TableEntity(VendorEntity.Partition, ListKey(vendor.LegalName.Ja, id))
        {
            ["VendorId"] = id,
            ["Data"] = JsonSerializer.Serialize(vendor, Json),
            ["RiskOverride"] = riskOverride is null ? null : JsonSerializer.Serialize(riskOverride, Json),
            ["HasSubcontractors"] = hasSubcontractors,
            ["NameJa"] = vendor.LegalName.Ja,
            ["NameEn"] = vendor.LegalName.En,
            ["CorporateNumber"] = vendor.CorporateNumber,
            ["Category"] = vendor.BusinessCategory,
            ["LifecycleStatus"] = vendor.LifecycleStatus,
            ["ParentId"] = vendor.ParentId,
            ["HasParent"] = vendor.ParentId is not null,
            ["Approval"] = vendor.PriorApproval?.Status,
            ["Tier"] = risk.EffectiveTier,
        };
    }

    /// <summary>A parent's list row rewritten with whether it has subcontractors (its tier may change), or null when the parent does not exist.</summary>
    private async Task<TableEntity?> ParentListRowAsync(string parentId, bool hasSubcontractors, CancellationToken cancellationToken) =>
        await FindAsync(parentId, cancellationToken) is { } parent ? ListRow(parent.Id, parent.Vendor, parent.RiskOverride, hasSubcontractors) : null;

    /// <summary>One list page: a range over the list rows from <paramref name="after"/>, with the filters storage can apply.</summary>
    public async Task<(IReadOnlyList<VendorListEntry> Rows, bool More)> ListPageAsync(VendorListFilter filter, string? after, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = ListFilter(filter, after is null ? null : ListKey(DecodeAfter(after).Name, DecodeAfter(after).Id));
        var rows = new List<VendorListEntry>();
        await foreach (var row in Table.QueryAsync<TableEntity>(query, maxPerPage: Math.Min(take + 1, 1000), cancellationToken: cancellationToken))
        {
            if (rows.Count == take)
            {
                return (rows, true);
            }

            rows.Add(ToListEntry(row));
        }

        return (rows, false);
    }

    /// <summary>Every list row matching the storage-side filters, projected to the searchable columns first (search is a substring match storage cannot do).</summary>
    public async Task<IReadOnlyList<VendorListEntry>> SearchListAsync(VendorListFilter filter, Func<string, string?, string?, string, bool> matches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(matches);
        var keys = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(ListFilter(filter, null), select: ["RowKey", "VendorId", "NameJa", "NameEn", "CorporateNumber"], cancellationToken: cancellationToken))
        {
            if (matches(row.GetString("NameJa") ?? "", row.GetString("NameEn"), row.GetString("CorporateNumber"), row.GetString("VendorId") ?? ""))
            {
                keys.Add(row.RowKey);
            }
        }

        var found = await Task.WhenAll(keys.Select(key => Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, key, cancellationToken: cancellationToken)));
        return [.. found.Where(row => row.HasValue).Select(row => ToListEntry(row.Value!))];
    }

    private static string ListFilter(VendorListFilter filter, string? afterKey)
    {
        var clauses = new List<string>
        {
            TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition}"),
            afterKey is null ? TableClient.CreateQueryFilter($"RowKey ge {ListPrefix}") : TableClient.CreateQueryFilter($"RowKey gt {afterKey}"),
            TableClient.CreateQueryFilter($"RowKey lt {"l."}"),
        };
        if (filter.Status is { } status)
        {
            clauses.Add(TableClient.CreateQueryFilter($"LifecycleStatus eq {status}"));
        }

        if (filter.Tier is { } tier)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Tier eq {tier}"));
        }

        if (filter.Category is { } category)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Category eq {category}"));
        }

        if (filter.ParentId is { } parentId)
        {
            clauses.Add(parentId == "none" ? TableClient.CreateQueryFilter($"HasParent eq {false}") : TableClient.CreateQueryFilter($"ParentId eq {parentId}"));
        }

        if (filter.Approval is { } approval)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Approval eq {approval}"));
        }

        return string.Join(" and ", clauses);
    }

    private static (string Name, string Id) DecodeAfter(string after)
    {
        var separator = after.LastIndexOf('\n');
        return (after[..separator], after[(separator + 1)..]);
    }

    /// <summary>The keyset position after a row, as <see cref="ListPageAsync"/> takes it.</summary>
    public static string After(string nameJa, string id) => nameJa + "\n" + id;

    private static VendorListEntry ToListEntry(TableEntity row) => new(
        row.GetString("VendorId"),
        JsonSerializer.Deserialize<Vendor>(row.GetString("Data"), Json)!,
        row.GetString("RiskOverride") is { } riskOverride ? JsonSerializer.Deserialize<RiskTierOverride>(riskOverride, Json) : null,
        row.GetBoolean("HasSubcontractors") == true);

    /// <summary>v2: the scope rows joined the list and attention rows, so a registry built at v1 is rebuilt once.</summary>
    private const string ListIndexMarker = "m-list-index-v2";

    /// <summary>Whether the list, attention and scope rows were built for the records stored before they existed.</summary>
    public async Task<bool> ListIndexBuiltAsync(CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(VendorEntity.Partition, ListIndexMarker, ["RowKey"], cancellationToken)).HasValue;

    /// <summary>
    /// Rewrites every list and attention row from the records (a registry scan: for start-up on an old registry, the nightly
    /// job — tiers change as certifications expire — and administrators), writes the scope rows that are missing or differ,
    /// and deletes rows no record accounts for.
    /// Returns how many vendors were indexed.
    /// </summary>
    public async Task<int> RebuildListIndexAsync(CancellationToken cancellationToken)
    {
        var all = await ListAsync(cancellationToken);
        var parents = all.Select(record => record.Vendor.ParentId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var wanted = new List<TableEntity>();
        var scopeActions = await ScopeRebuildActionsAsync(all, cancellationToken);
        foreach (var record in all)
        {
            if (record.Vendor.Match?.Linked == true)
            {
                continue;
            }

            wanted.Add(ListRow(record.Id, record.Vendor, record.RiskOverride, parents.Contains(record.Id)));
            wanted.AddRange(AttentionRows(record.Id, record.Vendor));
        }

        var wantedKeys = wanted.Select(row => row.RowKey).ToHashSet(StringComparer.Ordinal);
        var actions = wanted.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).ToList();
        var existing = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and ((RowKey ge {AttentionPrefix} and RowKey lt {"a."}) or (RowKey ge {ListPrefix} and RowKey lt {"l."}))");
        var known = all.Select(record => record.Id).ToHashSet(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(existing, select: ["RowKey", "VendorId"], cancellationToken: cancellationToken))
        {
            // Old-format rows (no VendorId) go; a row of a vendor added since the registry was read stays (vendors are never deleted).
            if (!wantedKeys.Contains(row.RowKey) && (row.GetString("VendorId") is not { } vendorId || known.Contains(vendorId)))
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(VendorEntity.Partition, row.RowKey), ETag.All));
            }
        }

        actions.AddRange(scopeActions);
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(VendorEntity.Partition, ListIndexMarker) { ["BuiltAt"] = timeProvider.GetUtcNow() }));
        foreach (var chunk in TableBatch.Chunk(actions))
        {
            await Table.SubmitCheckedTransactionAsync(chunk, cancellationToken);
        }

        return all.Count;
    }

    /// <summary>
    /// The scope rows to write (missing, or saying something else than the record) and to delete (no record accounts for
    /// them), from one read of the index range: a nightly rebuild of an index that is right writes nothing.
    /// </summary>
    private async Task<List<TableTransactionAction>> ScopeRebuildActionsAsync(IReadOnlyList<VendorRecord> all, CancellationToken cancellationToken)
    {
        var wanted = all.SelectMany(record => VendorScopeIndex.Rows(VendorEntity.Partition, record.Id, record.Vendor)).ToDictionary(row => row.RowKey, StringComparer.Ordinal);
        var known = all.Select(record => record.Id).ToHashSet(StringComparer.Ordinal);
        var actions = new List<TableTransactionAction>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorEntity.Partition} and RowKey ge {VendorScopeIndex.Prefix} and RowKey lt {VendorScopeIndex.PrefixEnd}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (wanted.Remove(row.RowKey, out var want))
            {
                if (!VendorScopeIndex.Same(want, row))
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, want));
                }
            }
            else if (row.GetString("VendorId") is not { } vendorId || known.Contains(vendorId))
            {
                // A row of a vendor added since the registry was read stays (vendors are never deleted); its own write keeps it right.
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(VendorEntity.Partition, row.RowKey), ETag.All));
            }
        }

        actions.AddRange(wanted.Values.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
        return actions;
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

    /// <summary>The corporate number the vendor reserves: a declaration matching a registered vendor reserves none (its holder keeps it).</summary>
    private static string? Reserved(Vendor vendor) => vendor.Match is null ? vendor.CorporateNumber : null;

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

/// <summary>A list row read back: the record, its override and whether it has subcontractors (the tier is computed from these on read).</summary>
public sealed record VendorListEntry(string Id, Vendor Vendor, RiskTierOverride? RiskOverride, bool HasSubcontractors);

/// <summary>The list filters storage applies (the tier as computed when the row was written).</summary>
public sealed record VendorListFilter(string? Status, string? Tier, string? Category, string? ParentId, string? Approval);

/// <summary>A vendor that needs a person: waiting for prior approval, and/or its earliest certification expiring (or expired) by then.</summary>
public sealed record VendorAttention(string VendorId, string NameJa, string? Category, string? OwnerEmail, bool ApprovalRequested, DateOnly? CertificationExpiresOn, string? CertificationType);

/// <summary>One scope index row read back: the vendor as the index projects it (see <see cref="VendorScopeIndex"/>).</summary>
public sealed record VendorScopeRow(string VendorId, string NameJa, string? ParentId, long? ApproximateRecords, string LifecycleStatus, IReadOnlyList<string> DataCategories, string? LinkedVendorId);

public sealed class VendorConflictException(string message) : Exception(message);

public sealed class VendorNotFoundException(string id) : Exception($"Vendor {id} does not exist.")
{
    public string VendorId { get; } = id;
}
