using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsPortal.Scoring;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Submissions;

/// <summary>
/// Sealed submissions: the envelope as a write-once blob (container "sealed", <c>{assignment}/v0001.json</c> — the
/// name is the version, so two racing submits cannot both become version 1), an index row per version (table
/// "submissions", PartitionKey = assignment key) and the score beside it (container "scores"). The blob is the
/// truth; the row and the score are derived and can be rebuilt from it.
/// </summary>
public sealed class SubmissionStore(PortalStorage storage)
{
    public const string SealedContainer = "sealed";
    public const string ScoresContainer = "scores";
    public const string TableName = "submissions";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    private BlobContainerClient Sealed => storage.GetContainer(SealedContainer);

    private BlobContainerClient Scores => storage.GetContainer(ScoresContainer);

    private TableClient Table => storage.GetTable(TableName);

    public static string SealedBlobName(string assignmentKey, int version) => $"{assignmentKey}/v{version.ToString("D4", CultureInfo.InvariantCulture)}.json";

    /// <summary>The versions sealed for an assignment, from the blobs themselves (so a half-recorded one still counts).</summary>
    public async Task<IReadOnlyList<int>> SealedVersionsAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        var versions = new List<int>();
        await foreach (var blob in Sealed.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{assignmentKey}/v" }, cancellationToken))
        {
            var name = blob.Name[(assignmentKey.Length + 2)..];
            if (name.EndsWith(".json", StringComparison.Ordinal) && int.TryParse(name[..^5], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        versions.Sort();
        return versions;
    }

    /// <summary>Writes a version once; false when that version exists already (someone sealed it first).</summary>
    public Task<bool> TryWriteSealedAsync(string assignmentKey, int version, byte[] envelope, CancellationToken cancellationToken) =>
        Sealed.GetBlobClient(SealedBlobName(assignmentKey, version)).TryUploadNewAsync(new BinaryData(envelope), "application/json", cancellationToken);

    /// <summary>The stored envelope bytes, exactly as sealed; null when there is no such version.</summary>
    public async Task<byte[]?> ReadSealedAsync(string assignmentKey, int version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Sealed.GetBlobClient(SealedBlobName(assignmentKey, version)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A sealed version as stored (not verified: <see cref="SubmissionVerifier"/> does that); null when there is no such version.</summary>
    public async Task<SealedEnvelope?> FindEnvelopeAsync(string assignmentKey, int version, CancellationToken cancellationToken) =>
        await ReadSealedAsync(assignmentKey, version, cancellationToken) is { } bytes ? JsonSerializer.Deserialize<SealedEnvelope>(bytes, Json) : null;

    /// <summary>
    /// Writes the index row and the score (none for a handling-method document); idempotent. The row's hash is the one
    /// recorded at sealing and never changes: when a row for this version already holds another hash (the blob was
    /// rewritten since), nothing is written and false comes back — verification reports the difference.
    /// </summary>
    public async Task<bool> RecordAsync(SubmissionRecord record, ScoreResult? score, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (await FindRecordAsync(record.AssignmentKey, record.Version, cancellationToken) is { } recorded && recorded.Sha256 != record.Sha256)
        {
            return false;
        }

        if (score is not null)
        {
            await Scores.GetBlobClient(SealedBlobName(record.AssignmentKey, record.Version))
                .UploadAsync(BinaryData.FromObjectAsJson(score, Json), overwrite: true, cancellationToken);
        }

        var data = JsonSerializer.Serialize(record, Json);
        await Table.UpsertEntityAsync(new TableEntity(record.AssignmentKey, Row(record.Version))
        {
            ["Data"] = data,
            ["VendorId"] = record.VendorId,
            ["Kind"] = record.Kind,
            ["SubmittedAt"] = record.SubmittedAt,
        }, TableUpdateMode.Replace, cancellationToken);
        // The same record under the vendor, so "this vendor's last submission" is one small partition, not a table scan.
        await Table.UpsertEntityAsync(new TableEntity(VendorPartition(record.VendorId), $"{record.AssignmentKey}~{Row(record.Version)}")
        {
            ["Data"] = data,
            ["Kind"] = record.Kind,
        }, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    /// <summary>The index row of one version (a point read), or null when none was recorded.</summary>
    public async Task<SubmissionRecord?> FindRecordAsync(string assignmentKey, int version, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(assignmentKey, Row(version), cancellationToken: cancellationToken);
        return row.HasValue ? JsonSerializer.Deserialize<SubmissionRecord>(row.Value!.GetString("Data"), Json) : null;
    }

    public async Task<IReadOnlyList<SubmissionRecord>> ListAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        var records = new List<SubmissionRecord>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {assignmentKey}"), cancellationToken: cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<SubmissionRecord>(row.GetString("Data"), Json)!);
        }

        return records.OrderBy(record => record.Version).ToList();
    }

    /// <summary>Every sealed version this vendor submitted, newest first (one small partition, no scan).</summary>
    public async Task<IReadOnlyList<SubmissionRecord>> ListForVendorAsync(string vendorId, CancellationToken cancellationToken)
    {
        var records = new List<SubmissionRecord>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {VendorPartition(vendorId)}"), cancellationToken: cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<SubmissionRecord>(row.GetString("Data"), Json)!);
        }

        return records.OrderByDescending(record => record.SubmittedAt).ToList();
    }

    /// <summary>The vendor's most recent submission of a kind, outside the given assignment (last cycle's answers).</summary>
    public async Task<SubmissionRecord?> LatestForVendorAsync(string vendorId, string kind, string excludingAssignmentKey, CancellationToken cancellationToken)
    {
        SubmissionRecord? latest = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {VendorPartition(vendorId)} and Kind eq {kind}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var record = JsonSerializer.Deserialize<SubmissionRecord>(row.GetString("Data"), Json)!;
            if (record.AssignmentKey != excludingAssignmentKey && (latest is null || record.SubmittedAt > latest.SubmittedAt))
            {
                latest = record;
            }
        }

        return latest;
    }

    public async Task<ScoreResult?> ReadScoreAsync(string assignmentKey, int version, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Scores.GetBlobClient(SealedBlobName(assignmentKey, version)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<ScoreResult>(Json);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Assignment keys never start with "vendor|" ('|' is not in cycle ids), so the two kinds of partition cannot meet.</summary>
    private static string VendorPartition(string vendorId) => $"vendor|{vendorId}";

    private static string Row(int version) => $"v{version.ToString("D4", CultureInfo.InvariantCulture)}";
}

/// <summary>The index entry of one sealed version: enough to list history and show a receipt without opening the blob.</summary>
public sealed record SubmissionRecord(
    string AssignmentKey, int Version, string VendorId, string Kind, string Sha256, string KeyVersion, string Signature,
    DateTimeOffset SubmittedAt, string OfficerName, int DraftRevision, string Verdict, decimal? Percentage, string? Grade);
