using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsPortal.Evidence;
using FunctionsPortal.Secrets;

namespace FunctionsPortal.Submissions;

/// <summary>
/// Recomputes everything a receipt claims: the payload's canonical SHA-256, the HMAC under the recorded key version,
/// that storage holds the same sealed version, that the hash matches the one recorded in the table when it was sealed
/// (so a blob rewritten and re-signed with a leaked key still fails), and that every evidence file still hashes as
/// sealed. Reads the payload as raw JSON (not through our types), so a field added or changed anywhere breaks the hash.
/// </summary>
public sealed class SubmissionVerifier(SubmissionStore store, EvidenceStore evidence, ISigningKeys keys)
{
    public async Task<VerificationReport> VerifyStoredAsync(string assignmentKey, int version, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadSealedAsync(assignmentKey, version, cancellationToken);
        return bytes is null
            ? new VerificationReport(false, assignmentKey, version, null, [new VerificationCheck("stored", false, $"There is no sealed version {version} of {assignmentKey}.")])
            : await VerifyAsync(bytes, cancellationToken);
    }

    /// <summary>Checks a receipt (the sealed envelope as downloaded) against its signature and against storage.</summary>
    public async Task<VerificationReport> VerifyAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken)
    {
        var checks = new List<VerificationCheck>();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(envelope.Span) as JsonObject ?? throw new JsonException("The receipt is not a JSON object.");
        }
        catch (JsonException exception)
        {
            return new VerificationReport(false, null, null, null, [new VerificationCheck("format", false, $"Not a sealed submission: {exception.Message}")]);
        }

        // A receipt is anyone's upload: every field is read as what it should be, or as missing, never cast (a cast throws).
        var payload = root["payload"] as JsonObject;
        var signatureNode = root["signature"] as JsonObject;
        var claimedSha = Text(root["sha256"]);
        var keyVersion = Text(signatureNode?["keyVersion"]);
        var signature = Text(signatureNode?["value"]);
        var algorithm = Text(signatureNode?["algorithm"]);
        var assignmentKey = Text((payload?["assignment"] as JsonObject)?["key"]);
        var version = payload?["version"] is JsonValue versionValue && versionValue.TryGetValue<int>(out var number) ? number : (int?)null;
        if (payload is null || claimedSha is null || keyVersion is null || signature is null || !Surveys.AssignmentKey.IsWellFormed(assignmentKey) || version is null
            || Text(payload["format"]) != SealedPayload.CurrentFormat || algorithm != SealKeys.Algorithm)
        {
            return new VerificationReport(false, assignmentKey, version, claimedSha, [new VerificationCheck("format", false, "Not a sealed submission of a format this portal knows.")]);
        }

        var canonical = CanonicalJson.Serialize(payload);
        var sha = Convert.ToHexStringLower(SHA256.HashData(canonical));
        checks.Add(new VerificationCheck("hash", sha == claimedSha, sha == claimedSha ? $"SHA-256 of the payload is {sha}." : $"The payload hashes to {sha}, not {claimedSha}: it was changed."));

        var keySet = await keys.GetAsync(cancellationToken);
        if (keySet.All.TryGetValue(keyVersion, out var signingKey))
        {
            var valid = SealKeys.Verify(signingKey, canonical, signature);
            checks.Add(new VerificationCheck("signature", valid, valid ? $"Signed with key version {keyVersion}." : $"The signature does not match key version {keyVersion}."));
        }
        else
        {
            checks.Add(new VerificationCheck("signature", false, $"Key version {keyVersion} is not available (disabled or never ours)."));
        }

        var stored = await store.ReadSealedAsync(assignmentKey, version.Value, cancellationToken);
        var storedSha = stored is null ? null : (string?)JsonNode.Parse(stored)?["sha256"];
        checks.Add(new VerificationCheck("stored", storedSha == claimedSha,
            stored is null ? $"Storage holds no version {version} of this assignment." : storedSha == claimedSha ? "Storage holds the same sealed version." : "Storage holds a different record under this version."));

        var recorded = await store.FindRecordAsync(assignmentKey, version.Value, cancellationToken);
        checks.Add(new VerificationCheck("recorded", recorded?.Sha256 == sha,
            recorded is null ? "No hash was recorded for this version when it was sealed."
            : recorded.Sha256 == sha ? "The hash recorded at sealing is the same." : $"At sealing the hash {recorded.Sha256} was recorded, not {sha}: the sealed record was rewritten."));

        foreach (var file in (payload["evidence"] as JsonArray ?? []).Select(node => node as JsonObject ?? []))
        {
            var blobName = Text(file["blobName"]) ?? "";
            var expected = Text(file["sha256"]);
            var name = Text(file["fileName"]);
            var size = file["size"] is JsonValue sizeValue && sizeValue.TryGetValue<long>(out var bytes) ? bytes : (long?)null;
            // Only this assignment's own documents are read: a receipt cannot make us hash another vendor's file.
            var actual = blobName.StartsWith(assignmentKey + "/", StringComparison.Ordinal) && !blobName.Contains("..", StringComparison.Ordinal)
                ? await evidence.HashAsync(blobName, cancellationToken)
                : null;
            var ok = actual is { } found && found.Sha256 == expected && found.Size == size;
            checks.Add(new VerificationCheck("evidence", ok,
                actual is null ? $"Evidence '{name}' is missing from storage." : ok ? $"Evidence '{name}' hashes to {expected}." : $"Evidence '{name}' hashes to {actual.Value.Sha256}, not {expected}."));
        }

        return new VerificationReport(checks.All(check => check.Passed), assignmentKey, version, sha, checks);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

public sealed record VerificationReport(bool Valid, string? AssignmentKey, int? Version, string? Sha256, IReadOnlyList<VerificationCheck> Checks);

public sealed record VerificationCheck(string Check, bool Passed, string Detail);
