using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// One finding of an accepted (or sealed) survey and what is done about it: a corrective action with a due date, an
/// internal owner, a task on the board and the vendor's remediation for staff to verify — or, for a △ the vendor has
/// planned with a date, a plan the ledger tracks (<see cref="ActionTracks.Plan"/>, no task). The id is derived from
/// the survey, the item and the kind of finding, so raising the same findings twice finds the same actions.
/// </summary>
public sealed record CorrectiveAction
{
    /// <summary>"{vendorId}.{8 hex}": the vendor id first, so one vendor's actions are one key range.</summary>
    public required string Id { get; init; }

    public required string VendorId { get; init; }

    public required string VendorName { get; init; }

    public required string AssignmentKey { get; init; }

    /// <summary>The sealed version the finding comes from.</summary>
    public required int Version { get; init; }

    public required string ItemId { get; init; }

    public required string SectionId { get; init; }

    public required Localized ItemText { get; init; }

    /// <summary>What was found (<see cref="FindingKinds"/>).</summary>
    public required string Finding { get; init; }

    /// <summary>The vendor's answer as sealed (○/△/× label, or "reassessed").</summary>
    public required string Answer { get; init; }

    /// <summary>people → training, process or system → improvement guidance (seed 004's split).</summary>
    public required string Remedy { get; init; }

    public required string Severity { get; init; }

    public required string Track { get; init; }

    public required string Status { get; init; }

    public required DateOnly DueOn { get; init; }

    public required ActionOwner Owner { get; init; }

    /// <summary>What the vendor is asked to do, in both languages.</summary>
    public required Localized Request { get; init; }

    /// <summary>What the vendor wrote in the ledger fields of its answer (planned date, measure, reason, risk acceptance asked).</summary>
    public VendorPlan? Plan { get; init; }

    public RiskAcceptance? RiskAcceptance { get; init; }

    /// <summary>The vendor's latest remediation (evidence and statement), while waiting for staff and after.</summary>
    public Remediation? Remediation { get; init; }

    /// <summary>Staff's message when they sent the remediation back.</summary>
    public string? ReturnedMessage { get; init; }

    public ActionTask? Task { get; init; }

    /// <summary>The task was completed on the board while the remediation was not verified.</summary>
    public DateTimeOffset? ClosedWithoutEvidenceAt { get; init; }

    public DateTimeOffset? RemindedAt { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<ActionEvent> History { get; init; } = [];

    public bool IsOpen => ActionStatuses.IsOpen(Status);

    public bool IsOverdue(DateOnly today) => IsOpen && DueOn < today;
}

public sealed record ActionOwner(string Name, string Email, string? EntraObjectId);

public sealed record VendorPlan(DateOnly? PlannedOn, string? Measure, string? Reason, bool AcceptRiskRequested);

/// <summary>Staff accepted the residual risk of a finding: who, why, and until when (then it is looked at again).</summary>
public sealed record RiskAcceptance(string By, string Reason, DateOnly Until, DateTimeOffset At);

/// <summary>The vendor's remediation: a statement sealed like a submission and the documents it names (checked and hashed like survey evidence).</summary>
public sealed record Remediation(int Number, string Statement, IReadOnlyList<EvidenceFile> Files, string SealSha256, DateTimeOffset SubmittedAt, string? VerifiedBy = null, DateTimeOffset? VerifiedAt = null);

/// <summary>The action's task on the board as last seen (created by the task outbox, mirrored by the sync).</summary>
public sealed record ActionTask(string TaskId, int PercentComplete, IReadOnlyList<string> AssigneeIds, DateOnly? DueOn, DateTimeOffset? CompletedAt, DateTimeOffset? SyncedAt);

public sealed record ActionEvent(DateTimeOffset At, string By, string Event, string? Note = null);

public static class FindingKinds
{
    public const string NotDone = "not-done";
    public const string PartialUnplanned = "partial-unplanned";
    public const string PartialPlanned = "partial-planned";
    public const string CriticalFailed = "critical-failed";
    public const string MissingDocument = "missing-document";
    public const string ReviewerOverride = "reviewer-override";

    /// <summary>Opened by staff from an incident (漏えい等): the item is the incident's id.</summary>
    public const string Incident = "incident";

    public static Localized Label(string kind) => kind switch
    {
        NotDone => new("× 未対応", "× Not done"),
        PartialUnplanned => new("△ 対応予定日なし", "△ Without a planned date"),
        PartialPlanned => new("△ 対応予定", "△ Planned"),
        CriticalFailed => new("重要項目の不適合", "Failed critical item"),
        MissingDocument => new("必須書類の不足", "Missing required document"),
        ReviewerOverride => new("審査担当による再評価", "Reassessed by a reviewer"),
        Incident => new("事故・漏えい等", "Incident"),
        _ => new(kind, kind),
    };
}

public static class ActionTracks
{
    /// <summary>A corrective action: a task on the board, remediation verified by staff.</summary>
    public const string Action = "action";

    /// <summary>A △ the vendor planned with a date: tracked on the ledger until the date, no task.</summary>
    public const string Plan = "plan";
}

public static class ActionStatuses
{
    /// <summary>Waiting for the vendor's remediation.</summary>
    public const string Open = "open";

    /// <summary>The vendor asked us to accept the residual risk; staff decide.</summary>
    public const string RiskReview = "risk-review";

    /// <summary>The vendor's remediation waits for staff.</summary>
    public const string Submitted = "submitted";

    /// <summary>Staff sent the remediation back with a message.</summary>
    public const string Returned = "returned";

    /// <summary>Remediation verified: closed.</summary>
    public const string Verified = "verified";

    /// <summary>Staff accepted the residual risk until a date: closed until then.</summary>
    public const string RiskAccepted = "risk-accepted";

    /// <summary>A planned △ (ledger only) until its date; it becomes an open action when the date passes unconfirmed.</summary>
    public const string Planned = "planned";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Open, RiskReview, Submitted, Returned, Verified, RiskAccepted, Planned], StringComparer.Ordinal);

    public static bool IsOpen(string status) => status is Open or RiskReview or Submitted or Returned or Planned;

    /// <summary>Whether the vendor can hand in remediation now.</summary>
    public static bool AwaitsVendor(string status) => status is Open or Returned or Planned;

    public static Localized Label(string status) => status switch
    {
        Open => new("対応待ち", "Open"),
        RiskReview => new("リスク受容の審査中", "Risk acceptance under review"),
        Submitted => new("是正報告の確認待ち", "Remediation waiting for review"),
        Returned => new("差し戻し", "Sent back"),
        Verified => new("是正確認済み", "Verified"),
        RiskAccepted => new("リスク受容", "Residual risk accepted"),
        Planned => new("対応予定", "Planned"),
        _ => new(status, status),
    };
}
