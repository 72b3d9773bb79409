namespace FunctionsPortal.Incidents;

/// <summary>What the reporter states about a 漏えい等 (leak, loss or damage of personal data), as received.</summary>
public sealed record IncidentReport
{
    public const int MaxSummaryChars = 4_000;
    public const int MaxTextChars = 4_000;

    /// <summary>何が起きたか (required).</summary>
    public string Summary { get; init; } = "";

    /// <summary>発生日時, when known.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>発覚日時 (required, not in the future).</summary>
    public DateTimeOffset DiscoveredAt { get; init; }

    /// <summary>Data-category ids of the vendor vocabulary (personal, sensitive, credit-card, …).</summary>
    public IReadOnlyList<string> DataCategories { get; init; } = [];

    /// <summary>本人の数 (approximate; null when unknown).</summary>
    public long? AffectedPeople { get; init; }

    /// <summary>要配慮個人情報 is (or may be) involved.</summary>
    public bool SensitiveData { get; init; }

    /// <summary>Data whose misuse may cause financial harm (財産的被害のおそれ).</summary>
    public bool FinancialHarm { get; init; }

    /// <summary>It may have been done for an unlawful purpose (不正の目的のおそれ), e.g. an attack or theft.</summary>
    public bool UnlawfulPurpose { get; init; }

    public string? Cause { get; init; }

    /// <summary>講じた措置, including what prevents secondary harm.</summary>
    public string? MeasuresTaken { get; init; }

    public string? ReporterName { get; init; }

    public string? ReporterEmail { get; init; }
}

/// <summary>One recorded incident; <see cref="ETag"/> is its revision, to send back (If-Match) with a status change.</summary>
public sealed record Incident(
    string Id,
    string VendorId,
    IncidentReport Report,
    string Channel,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    DateTimeOffset AwareAt,
    DateTimeOffset? PrincipalNotifiedAt,
    string Status,
    DateTimeOffset? PreliminaryReportedAt,
    DateTimeOffset? FinalReportedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<IncidentDocument> Documents,
    IncidentSeal Seal,
    string ETag)
{
    public bool IsOpen => Status == IncidentStatuses.Open;
}

/// <summary>A document sent with the report, by hash; <see cref="BlobName"/> is inside the incident documents container.</summary>
public sealed record IncidentDocument(string Id, string FileName, string ContentType, long Size, string Sha256, string BlobName);

/// <summary>The seal of the report as received: SHA-256 of its canonical JSON and the HMAC with the signing key version.</summary>
public sealed record IncidentSeal(string Sha256, string Algorithm, string KeyVersion, string Signature, string BlobName);

/// <summary>What the clock says: whether the incident is reportable to the PPC, which triggers hold, and the deadlines.</summary>
public sealed record IncidentAssessment(
    bool Reportable, IReadOnlyList<string> Triggers, DateTimeOffset PreliminaryDueFrom, DateTimeOffset PreliminaryDueBy, DateTimeOffset FinalDueBy);

public static class IncidentStatuses
{
    public const string Open = "open";
    public const string Closed = "closed";
}

public static class IncidentChannels
{
    public const string VendorLink = "vendor-link";
    public const string Staff = "staff";
    public const string Api = "api";
}

/// <summary>The ids of the four 報告対象事態 of 規則7条 (the rules table in configuration names and cites them).</summary>
public static class IncidentTriggers
{
    public const string Sensitive = "sensitive";
    public const string Financial = "financial";
    public const string UnlawfulPurpose = "unlawful-purpose";
    public const string Over1000 = "over-1000";

    public static readonly IReadOnlyList<string> All = [Sensitive, Financial, UnlawfulPurpose, Over1000];
}

/// <summary>A field the reporter must correct, in both languages; <see cref="Field"/> is the JSON name (camelCase).</summary>
public sealed record IncidentFieldError(string Field, string Ja, string En);
