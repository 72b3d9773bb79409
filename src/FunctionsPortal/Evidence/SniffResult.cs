using System.Diagnostics.CodeAnalysis;

namespace FunctionsPortal.Evidence;

/// <summary>The sniffer's verdict: the detected type, or why the file is refused, in words a vendor can act on (Japanese and English).</summary>
public sealed record SniffResult
{
    private SniffResult(DetectedType? type, string? reason, string? messageJa, string? messageEn)
    {
        Type = type;
        Reason = reason;
        MessageJa = messageJa;
        MessageEn = messageEn;
    }

    [MemberNotNullWhen(true, nameof(Type))]
    [MemberNotNullWhen(false, nameof(Reason), nameof(MessageJa), nameof(MessageEn))]
    public bool Accepted => Type is not null;

    public DetectedType? Type { get; }

    /// <summary>One of <see cref="EvidenceRefusalReasons"/> (<c>unsupported</c>, <c>mismatch</c>, <c>encrypted</c>, <c>empty</c>); null when accepted.</summary>
    public string? Reason { get; }

    public string? MessageJa { get; }

    public string? MessageEn { get; }

    public static SniffResult Accept(DetectedType type) => new(type ?? throw new ArgumentNullException(nameof(type)), null, null, null);

    public static SniffResult Refuse(string reason, string messageJa, string messageEn) => new(null, reason, messageJa, messageEn);
}
