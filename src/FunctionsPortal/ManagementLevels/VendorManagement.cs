using FunctionsPortal.Checklists;

namespace FunctionsPortal.ManagementLevels;

/// <summary>
/// How closely a vendor is managed (seed 004, リスク管理強化レベル): normally; under Level II — one managed month after a
/// first occurrence, checked when it ends; under Level I — three managed months after a second occurrence within six
/// months (or a reviewer's decision), with a themed self-inspection each month. The closing check that passes records the
/// effectiveness check (効果確認) and returns the vendor to the normal level.
/// </summary>
public sealed record VendorManagement
{
    public required string VendorId { get; init; }

    public string Level { get; init; } = Levels.Normal;

    public DateOnly? Since { get; init; }

    public DateOnly? ManagedUntil { get; init; }

    /// <summary>Why the vendor is at this level: the occurrence, or the reviewer's reason.</summary>
    public string? Reason { get; init; }

    public string? DecidedBy { get; init; }

    public IReadOnlyList<Occurrence> Occurrences { get; init; } = [];

    /// <summary>The checks of the current managed period (and the last one's, until a new period starts).</summary>
    public IReadOnlyList<ScheduledCheck> Checks { get; init; } = [];

    /// <summary>Every managed period that ended with a passing closing check.</summary>
    public IReadOnlyList<EffectivenessCheck> EffectivenessChecks { get; init; } = [];

    public IReadOnlyList<LevelChange> History { get; init; } = [];

    public bool IsManaged => Level != Levels.Normal;
}

/// <summary>Something that counts towards the level: a failed critical item, an incident, an overdue action, a repeat finding.</summary>
public sealed record Occurrence(DateOnly On, string Kind, string Reference, string? Note);

/// <summary>
/// A check of the managed period: a themed self-inspection from an interim checklist, due on <see cref="DueOn"/>;
/// <see cref="Closing"/> for the one that ends the period. The survey is created when it falls due.
/// </summary>
public sealed record ScheduledCheck(DateOnly DueOn, string ChecklistId, bool Closing, string? AssignmentKey = null, string? Outcome = null, DateOnly? DecidedOn = null);

public sealed record EffectivenessCheck(DateOnly On, string Level, string AssignmentKey, string By);

public sealed record LevelChange(DateTimeOffset At, string From, string To, string Reason, string By);

public static class Levels
{
    public const string Normal = "normal";
    public const string LevelI = "I";
    public const string LevelII = "II";

    public static Localized Label(string level) => level switch
    {
        LevelI => new("レベルⅠ（3か月の管理期間・毎月の自主点検）", "Level I (three managed months, a self-inspection each month)"),
        LevelII => new("レベルⅡ（1か月の管理期間・期間終了時の確認）", "Level II (one managed month, checked at its end)"),
        _ => new("通常", "Normal"),
    };
}

public static class OccurrenceKinds
{
    public const string CriticalFailed = "critical-failed";
    public const string Incident = "incident";
    public const string OverdueAction = "overdue-action";
    public const string RepeatFinding = "repeat-finding";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([CriticalFailed, Incident, OverdueAction, RepeatFinding], StringComparer.Ordinal);

    public static Localized Label(string kind) => kind switch
    {
        CriticalFailed => new("重要項目の不適合", "Failed critical item"),
        Incident => new("事故・インシデント", "Incident"),
        OverdueAction => new("是正措置の期限超過", "Overdue corrective action"),
        RepeatFinding => new("同一項目の再指摘", "Repeat finding of the same item"),
        _ => new(kind, kind),
    };
}

public static class CheckOutcomes
{
    public const string Passed = "passed";
    public const string Failed = "failed";
}
