namespace FunctionsPortal.Evidence;

/// <summary>One stored evidence file: what to record on the answer, so the file can be listed, served and verified later.</summary>
/// <param name="Id">Server-chosen random id (32 lower-case hex characters), the last part of <paramref name="BlobName"/>.</param>
/// <param name="ItemId">The checklist item the file supports.</param>
/// <param name="FileName">The vendor's file name, path parts and control characters removed, at most 200 characters; for display and downloads only.</param>
/// <param name="ContentType">The type detected from the content (text types carry their charset).</param>
/// <param name="Size">Bytes stored.</param>
/// <param name="Sha256">SHA-256 of the bytes, lower-case hex: compare with <see cref="EvidenceStore.HashAsync"/> to prove the file is unchanged.</param>
/// <param name="BlobName">Where the bytes are, inside the evidence container: <c>{assignmentKey}/{itemId}/{Id}</c>.</param>
/// <param name="UploadedAt">When the upload finished (the app's clock).</param>
public sealed record EvidenceFile(
    string Id,
    string ItemId,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string BlobName,
    DateTimeOffset UploadedAt);
