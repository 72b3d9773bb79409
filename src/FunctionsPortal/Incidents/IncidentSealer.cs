using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Seals an incident report as received, like a submission: canonical JSON of the report, who sent it, when, and the
/// documents by hash; its SHA-256; an HMAC with the current signing key (version recorded); one write-once blob in the
/// sealed submissions' container (<c>incidents/{id}.json</c>), so the container's immutability policy covers it too.
/// </summary>
public sealed partial class IncidentSealer(PortalStorage storage, ISigningKeys keys, IncidentDocuments documents, ILogger<IncidentSealer> logger)
{
    private BlobContainerClient Container => storage.GetContainer(SubmissionStore.SealedContainer);

    public static string BlobName(string incidentId) => $"incidents/{incidentId}.json";

    /// <summary>Seals and writes the report once; throws when the blob exists (ids are never reused).</summary>
    public async Task<IncidentSeal> SealAsync(IncidentPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var canonical = Canonical(payload);
        var signingKey = (await keys.GetAsync(cancellationToken)).Current;
        var envelope = new IncidentEnvelope(payload, Convert.ToHexStringLower(SHA256.HashData(canonical)), new SealSignature(SealKeys.Algorithm, signingKey.Version, SealKeys.Sign(signingKey, canonical)));
        var blobName = BlobName(payload.IncidentId);
        if (!await Container.GetBlobClient(blobName).TryUploadNewAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(envelope, SubmissionStore.Json)), "application/json", cancellationToken))
        {
            throw new InvalidOperationException($"The sealed report of incident {payload.IncidentId} exists already.");
        }

        LogSealed(payload.IncidentId, envelope.Sha256, signingKey.Version);
        return new IncidentSeal(envelope.Sha256, SealKeys.Algorithm, signingKey.Version, envelope.Signature.Value, blobName);
    }

    /// <summary>The stored envelope bytes exactly as sealed; null when there is none.</summary>
    public async Task<byte[]?> ReadAsync(string incidentId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(BlobName(incidentId)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Recomputes the stored report's hash and signature, compares them with the incident's record, and re-hashes every document.</summary>
    public async Task<IncidentVerification> VerifyAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        if (await ReadAsync(incident.Id, cancellationToken) is not { } bytes)
        {
            return new IncidentVerification(false, null, ["The sealed report is missing."]);
        }

        var problems = new List<string>();
        var envelope = JsonSerializer.Deserialize<IncidentEnvelope>(bytes, SubmissionStore.Json)!;
        var canonical = Canonical(envelope.Payload);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(canonical));
        if (sha256 != envelope.Sha256 || sha256 != incident.Seal.Sha256)
        {
            problems.Add("The hash does not match the sealed content or the incident's record.");
        }

        var keySet = await keys.GetAsync(cancellationToken);
        if (!keySet.All.TryGetValue(envelope.Signature.KeyVersion, out var key) || !SealKeys.Verify(key, canonical, envelope.Signature.Value))
        {
            problems.Add("The signature does not verify.");
        }

        foreach (var file in envelope.Payload.Documents)
        {
            var stored = await documents.HashAsync(file.BlobName, cancellationToken);
            if (stored is not { } found || found.Sha256 != file.Sha256 || found.Size != file.Size)
            {
                problems.Add($"The document '{file.FileName}' is missing or changed.");
            }
        }

        return new IncidentVerification(problems.Count == 0, envelope, problems);
    }

    private static byte[] Canonical(IncidentPayload payload) => CanonicalJson.Serialize(JsonSerializer.SerializeToNode(payload, SubmissionStore.Json)!);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} sealed as received (SHA-256 {Sha256}, key {KeyVersion})")]
    private partial void LogSealed(string incidentId, string sha256, string keyVersion);
}

/// <summary>
/// What a sealed incident report states, exactly. Times are UTC strings and the number of people a string, so the
/// canonical bytes never depend on formatting.
/// </summary>
public sealed record IncidentPayload(
    string IncidentId, string VendorId, string VendorNameJa, string Channel, string ReportedBy, string ReportedAt, string AwareAt,
    string Summary, string? OccurredAt, string DiscoveredAt, IReadOnlyList<string> DataCategories, string? AffectedPeople,
    bool SensitiveData, bool FinancialHarm, bool UnlawfulPurpose, string? Cause, string? MeasuresTaken, string? ReporterName, string? ReporterEmail,
    IReadOnlyList<IncidentDocument> Documents)
{
    public const string CurrentFormat = "functions-portal/incident/v1";

    public string Format { get; init; } = CurrentFormat;

    public static IncidentPayload From(Incident incident, string vendorNameJa)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var report = incident.Report;
        return new IncidentPayload(
            incident.Id, incident.VendorId, vendorNameJa, incident.Channel, incident.ReportedBy, Utc(incident.ReportedAt), Utc(incident.AwareAt),
            report.Summary, report.OccurredAt is { } occurred ? Utc(occurred) : null, Utc(report.DiscoveredAt), report.DataCategories,
            report.AffectedPeople?.ToString(CultureInfo.InvariantCulture), report.SensitiveData, report.FinancialHarm, report.UnlawfulPurpose,
            report.Cause, report.MeasuresTaken, report.ReporterName, report.ReporterEmail, incident.Documents);
    }

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

public sealed record IncidentEnvelope(IncidentPayload Payload, string Sha256, SealSignature Signature);

public sealed record IncidentVerification(bool Valid, IncidentEnvelope? Envelope, IReadOnlyList<string> Problems);
