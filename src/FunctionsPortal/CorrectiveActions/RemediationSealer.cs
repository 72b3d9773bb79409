using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsPortal.Evidence;
using FunctionsPortal.Secrets;
using FunctionsPortal.Storage;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Seals a vendor's remediation like a submission: canonical JSON of the statement and the documents by hash, its
/// SHA-256, an HMAC with the current signing key (version recorded), one write-once blob per remediation in the sealed
/// submissions' container (<c>remediations/{actionId}/r{0001}.json</c>), so the container's immutability policy in Azure
/// covers it too. Verifying recomputes all of it and re-hashes the documents.
/// </summary>
public sealed partial class RemediationSealer(PortalStorage storage, ISigningKeys keys, EvidenceStore evidence, ILogger<RemediationSealer> logger)
{
    private const string Folder = "remediations/";

    private BlobContainerClient Container => storage.GetContainer(SubmissionStore.SealedContainer);

    public static string BlobName(string actionId, int number) => $"{Folder}{actionId}/r{number.ToString("D4", CultureInfo.InvariantCulture)}.json";

    /// <summary>The remediation numbers sealed for an action, from the blobs themselves (one interrupted before it was recorded still counts).</summary>
    public async Task<IReadOnlyList<int>> NumbersAsync(string actionId, CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        var prefix = $"{Folder}{actionId}/r";
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            var name = blob.Name[prefix.Length..];
            if (name.EndsWith(".json", StringComparison.Ordinal) && int.TryParse(name[..^5], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }

        numbers.Sort();
        return numbers;
    }

    /// <summary>Seals and writes the payload once; null when that number is sealed already (another submit came first).</summary>
    public async Task<RemediationEnvelope?> TrySealAsync(RemediationPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var canonical = Canonical(payload);
        var signingKey = (await keys.GetAsync(cancellationToken)).Current;
        var envelope = new RemediationEnvelope(payload, Convert.ToHexStringLower(SHA256.HashData(canonical)), new SealSignature(SealKeys.Algorithm, signingKey.Version, SealKeys.Sign(signingKey, canonical)));
        var wrote = await Container.GetBlobClient(BlobName(payload.ActionId, payload.Number))
            .TryUploadNewAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(envelope, SubmissionStore.Json)), "application/json", cancellationToken);
        if (!wrote)
        {
            return null;
        }

        LogSealed(payload.ActionId, payload.Number, envelope.Sha256, signingKey.Version);
        return envelope;
    }

    /// <summary>The stored envelope bytes exactly as sealed; null when there is no such remediation.</summary>
    public async Task<byte[]?> ReadAsync(string actionId, int number, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(BlobName(actionId, number)).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Recomputes the stored remediation's hash and signature and re-hashes every document it names.</summary>
    public async Task<RemediationVerification> VerifyAsync(string actionId, int number, CancellationToken cancellationToken)
    {
        if (await ReadAsync(actionId, number, cancellationToken) is not { } bytes)
        {
            return new RemediationVerification(false, null, ["The sealed remediation is missing."]);
        }

        var problems = new List<string>();
        var envelope = JsonSerializer.Deserialize<RemediationEnvelope>(bytes, SubmissionStore.Json)!;
        var canonical = Canonical(envelope.Payload);
        if (Convert.ToHexStringLower(SHA256.HashData(canonical)) != envelope.Sha256)
        {
            problems.Add("The hash does not match the sealed content.");
        }

        var keySet = await keys.GetAsync(cancellationToken);
        if (!keySet.All.TryGetValue(envelope.Signature.KeyVersion, out var key) || !SealKeys.Verify(key, canonical, envelope.Signature.Value))
        {
            problems.Add("The signature does not verify.");
        }

        foreach (var file in envelope.Payload.Files)
        {
            var stored = await evidence.HashAsync(file.BlobName, cancellationToken);
            if (stored is not { } found || found.Sha256 != file.Sha256 || found.Size != file.Size)
            {
                problems.Add($"The document '{file.FileName}' is missing or changed.");
            }
        }

        return new RemediationVerification(problems.Count == 0, envelope, problems);
    }

    private static byte[] Canonical(RemediationPayload payload) => CanonicalJson.Serialize(JsonSerializer.SerializeToNode(payload, SubmissionStore.Json)!);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remediation {Number} of corrective action {ActionId} sealed (SHA-256 {Sha256}, key {KeyVersion})")]
    private partial void LogSealed(string actionId, int number, string sha256, string keyVersion);
}

/// <summary>What a sealed remediation states: the action, the vendor's statement, the documents by hash, when, and the previous remediation's hash.</summary>
public sealed record RemediationPayload(
    string ActionId, string VendorId, string AssignmentKey, string ItemId, int Number, string Statement, IReadOnlyList<SealedEvidence> Files, string SubmittedAt, string? PreviousSha256)
{
    public const string CurrentFormat = "functions-portal/remediation/v1";

    public string Format { get; init; } = CurrentFormat;
}

public sealed record RemediationEnvelope(RemediationPayload Payload, string Sha256, SealSignature Signature);

public sealed record RemediationVerification(bool Valid, RemediationEnvelope? Envelope, IReadOnlyList<string> Problems);
