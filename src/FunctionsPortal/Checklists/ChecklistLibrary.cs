using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Checklists;

/// <summary>
/// Every checklist version: validated on the way in, stored as table row + content-addressed blob, resolved on
/// the way out. A version a survey has used is immutable; changes go into a new version.
/// </summary>
public sealed class ChecklistLibrary(PortalStorage storage, TimeProvider timeProvider)
{
    public const string TableName = "checklists";
    public const string ContainerName = "checklists";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A copy of every version row under one partition, so listing the library is one partition query, not a scan of
    /// every checklist's partition. Written after the row it copies; <see cref="SyncCatalogAsync"/> repairs it at start.
    /// </summary>
    private const string CatalogPartition = "~catalog";

    private TableClient Table => storage.GetTable(TableName);

    public async Task<ChecklistVersionInfo> CreateAsync(ChecklistDefinition definition, string by, CancellationToken cancellationToken)
    {
        var resolved = await ValidateAsync(definition, cancellationToken);
        var (blobName, hash) = await UploadAsync(definition, cancellationToken);
        var entity = NewEntity(definition, resolved, blobName, hash, by);
        if (!await Table.TryAddAsync(entity, cancellationToken))
        {
            var existing = await InfoAsync(definition.Id, definition.Version, cancellationToken);
            throw new ChecklistConflictException(existing?.FirstUsedAt is not null
                ? UsedMessage(definition.Id, definition.Version)
                : $"{definition.Id} v{definition.Version} already exists; change it with PUT, or create version {definition.Version + 1}.");
        }

        await CatalogAsync(entity, cancellationToken);
        return Info(entity);
    }

    /// <summary>Edits a version no survey has used yet; a used version is refused with the way forward.</summary>
    public async Task<ChecklistVersionInfo> ReplaceAsync(ChecklistDefinition definition, string by, CancellationToken cancellationToken)
    {
        var resolved = await ValidateAsync(definition, cancellationToken);
        var current = await Table.GetEntityIfExistsAsync<ChecklistEntity>(definition.Id, ChecklistEntity.VersionKey(definition.Version), cancellationToken: cancellationToken);
        if (!current.HasValue)
        {
            throw new ChecklistNotFoundException(definition.Id, definition.Version);
        }

        if (current.Value!.FirstUsedAt is not null)
        {
            throw new ChecklistConflictException(UsedMessage(definition.Id, definition.Version));
        }

        var (blobName, hash) = await UploadAsync(definition, cancellationToken);
        var replacement = NewEntity(definition, resolved, blobName, hash, by);
        replacement.ETag = current.Value.ETag;
        try
        {
            await Table.ReplaceIfUnchangedAsync(replacement, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Most likely a survey started using it in the meantime (or another edit won): re-read to say which.
            var now = await InfoAsync(definition.Id, definition.Version, cancellationToken);
            throw new ChecklistConflictException(now?.FirstUsedAt is not null
                ? UsedMessage(definition.Id, definition.Version)
                : $"{definition.Id} v{definition.Version} was changed by someone else; reload it and apply your change again.");
        }

        await CatalogAsync(replacement, cancellationToken);
        return Info(replacement);
    }

    /// <summary>Records that a survey uses this version (and the version it derives from): both become immutable.</summary>
    public async Task MarkUsedAsync(string id, int version, string by, CancellationToken cancellationToken)
    {
        var changed = false;
        var marked = await Table.UpdateWithRetryAsync<ChecklistEntity>(id, ChecklistEntity.VersionKey(version), entity =>
        {
            if (entity.FirstUsedAt is not null)
            {
                return changed = false;
            }

            entity.FirstUsedAt = timeProvider.GetUtcNow();
            entity.FirstUsedBy = by;
            return changed = true;
        }, cancellationToken) ?? throw new ChecklistNotFoundException(id, version);
        if (changed)
        {
            await CatalogAsync(marked, cancellationToken);
        }

        if (marked.DerivedFromId is { } parentId && marked.DerivedFromVersion is { } parentVersion)
        {
            await MarkUsedAsync(parentId, parentVersion, by, cancellationToken);
        }
    }

    public async Task<ChecklistDefinition?> GetAsync(string id, int version, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ChecklistEntity>(id, ChecklistEntity.VersionKey(version), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var content = await storage.GetContainer(ContainerName).GetBlobClient(row.Value!.BlobName).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<ChecklistDefinition>(Json);
    }

    public async Task<ResolvedChecklist?> ResolveAsync(string id, int version, CancellationToken cancellationToken)
    {
        var definition = await GetAsync(id, version, cancellationToken);
        if (definition is null)
        {
            return null;
        }

        var parent = definition.DerivedFrom is { } derived ? await ResolveAsync(derived.Id, derived.Version, cancellationToken) : null;
        return ResolvedChecklist.Resolve(definition, parent);
    }

    public async Task<ChecklistVersionInfo?> InfoAsync(string id, int version, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<ChecklistEntity>(id, ChecklistEntity.VersionKey(version), cancellationToken: cancellationToken);
        return row.HasValue ? Info(row.Value!) : null;
    }

    /// <summary>
    /// The highest version of the checklist held in the library (null when there is none): one partition query over the
    /// version rows (a few small rows, no blob read). New surveys are planned with it; surveys already created keep theirs.
    /// </summary>
    public async Task<ChecklistVersionInfo?> LatestAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ChecklistEntity? latest = null;
        // Rows come in RowKey order within the partition and "v0001" keys sort as numbers: the last one is the latest.
        await foreach (var row in Table.QueryAsync<ChecklistEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: cancellationToken))
        {
            latest = row;
        }

        return latest is null ? null : Info(latest);
    }

    /// <summary>Every version in the library, in id and version order: one query of the catalog partition.</summary>
    public async Task<IReadOnlyList<ChecklistVersionInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var versions = new List<ChecklistVersionInfo>();
        await foreach (var row in Table.QueryAsync<ChecklistEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {CatalogPartition}"), cancellationToken: cancellationToken))
        {
            versions.Add(Info(row));
        }

        return versions;
    }

    /// <summary>
    /// Brings the catalog in line with the version rows (a crash between a row and its copy, a race between marking a
    /// version used and editing it, a library from before the catalog): a scan of this small table, run at start by
    /// the seeder, never on a request. Returns how many catalog rows it wrote.
    /// </summary>
    public async Task<int> SyncCatalogAsync(CancellationToken cancellationToken)
    {
        var catalog = new Dictionary<string, ChecklistVersionInfo>(StringComparer.Ordinal);
        var rows = new List<ChecklistEntity>();
        await foreach (var row in Table.QueryAsync<ChecklistEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey == CatalogPartition)
            {
                catalog[row.RowKey] = Info(row);
            }
            else
            {
                rows.Add(row);
            }
        }

        var written = 0;
        foreach (var row in rows.Where(row => !catalog.TryGetValue(CatalogKey(row.PartitionKey, row.RowKey), out var copy) || copy != Info(row)))
        {
            await CatalogAsync(row, cancellationToken);
            written++;
        }

        return written;
    }

    /// <summary>Throws <see cref="ChecklistValidationException"/> naming every problem; returns the resolved checklist.</summary>
    public async Task<ResolvedChecklist> ValidateAsync(ChecklistDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var parent = definition.DerivedFrom is { } derived && !string.IsNullOrEmpty(derived.Id)
            ? await ResolveAsync(derived.Id, derived.Version, cancellationToken)
            : null;
        var errors = ChecklistValidator.Validate(definition, parent);
        if (errors.Count > 0)
        {
            throw new ChecklistValidationException(errors);
        }

        return ResolvedChecklist.Resolve(definition, parent);
    }

    private async Task<(string BlobName, string Hash)> UploadAsync(ChecklistDefinition definition, CancellationToken cancellationToken)
    {
        var content = BinaryData.FromObjectAsJson(definition, Json);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content.ToMemory().Span));
        var blobName = $"{definition.Id}/{ChecklistEntity.VersionKey(definition.Version)}-{hash[..16]}.json";
        // Content-addressed: the same content twice is the same blob, and a blob never changes once written.
        await storage.GetContainer(ContainerName).GetBlobClient(blobName).TryUploadNewAsync(content, "application/json", cancellationToken);
        return (blobName, hash);
    }

    private ChecklistEntity NewEntity(ChecklistDefinition definition, ResolvedChecklist resolved, string blobName, string hash, string by) => new()
    {
        PartitionKey = definition.Id,
        RowKey = ChecklistEntity.VersionKey(definition.Version),
        Kind = definition.Kind,
        TitleJa = definition.Title.Ja,
        TitleEn = definition.Title.En,
        DerivedFromId = definition.DerivedFrom?.Id,
        DerivedFromVersion = definition.DerivedFrom?.Version,
        BlobName = blobName,
        ContentHash = hash,
        ItemCount = resolved.Items.Count(),
        CreatedAt = timeProvider.GetUtcNow(),
        CreatedBy = by,
    };

    private Task CatalogAsync(ChecklistEntity row, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new ChecklistEntity
            {
                PartitionKey = CatalogPartition,
                RowKey = CatalogKey(row.PartitionKey, row.RowKey),
                Kind = row.Kind,
                TitleJa = row.TitleJa,
                TitleEn = row.TitleEn,
                DerivedFromId = row.DerivedFromId,
                DerivedFromVersion = row.DerivedFromVersion,
                BlobName = row.BlobName,
                ContentHash = row.ContentHash,
                ItemCount = row.ItemCount,
                CreatedAt = row.CreatedAt,
                CreatedBy = row.CreatedBy,
                FirstUsedAt = row.FirstUsedAt,
                FirstUsedBy = row.FirstUsedBy,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    // "annual-full|v0002": ids never hold '|', so the key splits back into id and version.
    private static string CatalogKey(string id, string versionKey) => $"{id}|{versionKey}";

    private static ChecklistVersionInfo Info(ChecklistEntity entity)
    {
        var (id, versionKey) = entity.PartitionKey == CatalogPartition
            ? (entity.RowKey[..entity.RowKey.LastIndexOf('|')], entity.RowKey[(entity.RowKey.LastIndexOf('|') + 1)..])
            : (entity.PartitionKey, entity.RowKey);
        return new(
            id, int.Parse(versionKey.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), entity.Kind,
            new Localized(entity.TitleJa, entity.TitleEn), entity.DerivedFromId, entity.DerivedFromVersion, entity.ItemCount,
            entity.ContentHash, entity.CreatedAt, entity.CreatedBy, entity.FirstUsedAt);
    }

    private static string UsedMessage(string id, int version) =>
        $"{id} v{version} has been used by a survey and can no longer change; create version {version + 1} with your changes.";
}

public sealed record ChecklistVersionInfo(
    string Id, int Version, string Kind, Localized Title, string? DerivedFromId, int? DerivedFromVersion, int ItemCount,
    string ContentHash, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? FirstUsedAt)
{
    public bool Used => FirstUsedAt is not null;
}

public sealed class ChecklistValidationException(Dictionary<string, string[]> errors)
    : Exception("The checklist has problems: " + string.Join(", ", errors.Keys.Take(10)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

public sealed class ChecklistConflictException(string message) : Exception(message);

public sealed class ChecklistNotFoundException(string id, int version) : Exception($"There is no checklist {id} v{version}.");
