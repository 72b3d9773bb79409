namespace FunctionsPortal.Audit;

/// <summary>
/// One record of a chain, as stored: <see cref="Hash"/> is SHA-256 over the canonical JSON of every other field
/// (<see cref="AuditHash"/>), <see cref="PreviousHash"/> the hash of record <see cref="Sequence"/> − 1 (64 zeros for the first).
/// <see cref="Before"/> and <see cref="After"/> are JSON text exactly as hashed.
/// </summary>
public sealed record AuditRecord(
    string Chain, long Sequence, DateTimeOffset At, string By, string Action, string? Subject, string? Before, string? After, string PreviousHash, string Hash);

/// <summary>A page of one chain's records, newest first; <see cref="Continuation"/> asks for the next (older) page.</summary>
public sealed record AuditPage(string Chain, long HeadSequence, IReadOnlyList<AuditRecord> Records, string? Continuation);
