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

        return Info(replacement);
    }

    /// <summary>Records that a survey uses this version (and the version it derives from): both become immutable.</summary>
    public async Task MarkUsedAsync(string id, int version, string by, CancellationToken cancellationToken)
    {
        var marked = await Table.UpdateWithRetryAsync<ChecklistEntity>(id, ChecklistEntity.VersionKey(version), entity =>
        {
            if (entity.FirstUsedAt is not null)
            {
                return false;
            }

            entity.FirstUsedAt = timeProvider.GetUtcNow();
            entity.FirstUsedBy = by;
            return true;
        }, cancellationToken) ?? throw new ChecklistNotFoundException(id, version);

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

    public async Task<IReadOnlyList<ChecklistVersionInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var versions = new List<ChecklistVersionInfo>();
        await foreach (var row in Table.QueryAsync<ChecklistEntity>(cancellationToken: cancellationToken))
        {
            versions.Add(Info(row));
        }

        return versions;
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

    private static ChecklistVersionInfo Info(ChecklistEntity entity) => new(
        entity.PartitionKey, int.Parse(entity.RowKey.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), entity.Kind,
        new Localized(entity.TitleJa, entity.TitleEn), entity.DerivedFromId, entity.DerivedFromVersion, entity.ItemCount,
        entity.ContentHash, entity.CreatedAt, entity.CreatedBy, entity.FirstUsedAt);

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
