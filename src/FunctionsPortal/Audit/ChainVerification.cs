namespace FunctionsPortal.Audit;

/// <summary>
/// One chain checked: how many records it holds, and — when broken — the first record that does not hold
/// (<see cref="BrokenAt"/>) and why, in words a person understands.
/// </summary>
public sealed record ChainVerification(string Chain, long Records, long HeadSequence, long? BrokenAt, string? Reason)
{
    public bool Intact => BrokenAt is null;
}

/// <summary>Every chain checked (a scan by design): the broken ones by name, and the anchor they were compared with.</summary>
public sealed record AuditVerification(DateTimeOffset CheckedAt, int Chains, long Records, string? Anchor, IReadOnlyList<ChainVerification> Broken)
{
    public bool Intact => Broken.Count == 0;
}
