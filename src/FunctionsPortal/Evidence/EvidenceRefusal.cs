namespace FunctionsPortal.Evidence;

/// <summary>Why an upload was not stored: a stable <see cref="Reason"/> for code and a message for the vendor in each language.</summary>
/// <param name="Reason">One of <see cref="EvidenceRefusalReasons"/>.</param>
/// <param name="MessageJa">What to tell the vendor, in Japanese.</param>
/// <param name="MessageEn">The same in English.</param>
public sealed record EvidenceRefusal(string Reason, string MessageJa, string MessageEn);
