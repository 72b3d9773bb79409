namespace FunctionsPortal.Surveys;

/// <summary>
/// One survey for one vendor or subcontractor in one cycle: the checklist version it is frozen to, its due date,
/// its status and every move of that status, its current link (only as a keyed hash) and any recipient problem.
/// </summary>
public sealed record Assignment
{
    public required string Cycle { get; init; }

    public required string VendorId { get; init; }

    public required string Kind { get; init; }

    public string? CampaignId { get; init; }

    public string? ChecklistId { get; init; }

    public int? ChecklistVersion { get; init; }

    public required DateOnly DueOn { get; init; }

    public string Status { get; init; } = AssignmentStatus.Scheduled;

    public string? RecipientEmail { get; init; }

    public string? RecipientName { get; init; }

    /// <summary>Why mail cannot reach the vendor (no valid address, rejected by the mail service): shown to staff.</summary>
    public string? RecipientProblem { get; init; }

    /// <summary>Keyed hash of the link currently in force (the token itself is never stored).</summary>
    public string? CurrentLinkHash { get; init; }

    public DateTimeOffset? InvitedAt { get; init; }

    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>The latest sealed submission's version (1, 2, … after each resubmission); null before the first.</summary>
    public int? SubmittedVersion { get; init; }

    /// <summary>What the reviewer asked the vendor to change, shown on the vendor's pages until they resubmit.</summary>
    public string? ChangesRequestedMessage { get; init; }

    public IReadOnlyList<StatusChange> History { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who the vendor was when the survey was created (tier, business category, internal owner): the dashboard's buckets.</summary>
    public AssignmentSegment? Segment { get; init; }

    /// <summary>The latest sealed version's score, in brief (null before a scored submission).</summary>
    public AssignmentScore? Score { get; init; }

    /// <summary>Counts every stored write: lets a summary tell a newer state of the record from an older one.</summary>
    public int Revision { get; init; }

    /// <summary>
    /// Changes whenever the vendor's record, its subcontractors or its sealed submissions change (see
    /// <see cref="VendorStamps"/>): what a vendor page derives from those is kept per stamp. A column of its own, not in Data.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? VendorStamp { get; init; }

    /// <summary>Unique per (cycle, vendor, kind): the assignment's identity and its outbox owner.</summary>
    public string Key => AssignmentKey.For(Cycle, VendorId, Kind);
}

public sealed record StatusChange(string From, string To, DateTimeOffset At, string By, string? Note);

public static class AssignmentKey
{
    public static string For(string cycle, string vendorId, string kind) => $"{cycle}~{vendorId}~{kind}";

    /// <summary>The key from the cycle and the row key ("{vendorId}~{kind}") of the assignments table.</summary>
    public static string For(string cycle, string rowKey) => $"{cycle}~{rowKey}";

    /// <summary>What every key of the cycle's assignments (a campaign's, when the cycle is its id) starts with.</summary>
    public static string PrefixOf(string cycle) => $"{cycle}~";

    /// <summary>A key as we write them (cycle~vendor~kind from safe characters): anything else comes from outside and names nothing.</summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? key) =>
        key is { Length: > 0 and <= 256 } && Parse(key) is not null && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    public static (string Cycle, string VendorId, string Kind)? Parse(string key)
    {
        var parts = (key ?? "").Split('~');
        return parts.Length == 3 && parts.All(part => part.Length > 0) ? (parts[0], parts[1], parts[2]) : null;
    }
}
