namespace FunctionsPortal.Submissions;

/// <summary>
/// What a sealed submission states, exactly: the answers, the evidence files by hash, the checklist version, the
/// assignment, the attestation and the timestamps. Amounts are strings so the canonical bytes never depend on how a
/// number is formatted. Anything not here is not part of what the vendor attested.
/// </summary>
public sealed record SealedPayload
{
    public const string CurrentFormat = "functions-portal/submission/v1";

    public string Format { get; init; } = CurrentFormat;

    public required SealedAssignment Assignment { get; init; }

    public required SealedChecklist Checklist { get; init; }

    /// <summary>1 for the first submission, 2 for the first resubmission after changes were requested, …</summary>
    public required int Version { get; init; }

    /// <summary>The draft revision the vendor reviewed: two submits of the same revision are one submission.</summary>
    public required int DraftRevision { get; init; }

    public required IReadOnlyDictionary<string, SealedAnswer> Answers { get; init; }

    public required IReadOnlyList<SealedEvidence> Evidence { get; init; }

    public IReadOnlyList<SealedSubcontractor>? Subcontractors { get; init; }

    public SealedDeclaration? Declaration { get; init; }

    public required SealedAttestation Attestation { get; init; }

    public required SealedTimestamps Timestamps { get; init; }

    /// <summary>The hash of the version this one replaces, so the history is a chain.</summary>
    public string? PreviousSha256 { get; init; }
}

public sealed record SealedAssignment(string Key, string Cycle, string VendorId, string Kind, string? CampaignId, string VendorNameJa, string? CorporateNumber);

public sealed record SealedChecklist(string Id, int Version);

public sealed record SealedAnswer(
    string? Status, IReadOnlyList<string>? Choices, string? Text, string? Number, string? Date, string? NaReason, string? Comment, bool? CarriedForward);

public sealed record SealedEvidence(string Id, string ItemId, string FileName, string ContentType, long Size, string Sha256, string BlobName)
{
    /// <summary>What a seal states of a stored file (not when it was uploaded: that is not attested).</summary>
    public static SealedEvidence From(Evidence.EvidenceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(file.Id, file.ItemId, file.FileName, file.ContentType, file.Size, file.Sha256, file.BlobName);
    }
}

public sealed record SealedSubcontractor(string Name, string? CorporateNumber, string Country, string Scope, bool HandlesPersonalData, string ContactEmail);

/// <summary>A subcontractor's handling method (取扱方法の書面), in short structured form beside its document.</summary>
public sealed record SealedDeclaration(
    string DataHandled, string Purposes, string StoragePlace, string StorageCountry, string SecurityMeasures, string FurtherSubcontracting);

public sealed record SealedAttestation(string Name, string Title, string Email, string StatementJa, string StatementEn, string AttestedAt);

public sealed record SealedTimestamps(string? InvitedAt, string? OpenedAt, string SubmittedAt);

/// <summary>The stored record: the payload plus its SHA-256 and the Key Vault-keyed signature over the same bytes.</summary>
public sealed record SealedEnvelope(SealedPayload Payload, string Sha256, SealSignature Signature);

public sealed record SealSignature(string Algorithm, string KeyVersion, string Value);
