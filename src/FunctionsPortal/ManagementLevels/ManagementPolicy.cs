namespace FunctionsPortal.ManagementLevels;

/// <summary>
/// Seed 004's escalation rules as pure functions of the vendor's state: an occurrence with another one in the six months
/// before it puts the vendor under Level I, a first one under Level II; a reviewer may set a level with a reason; a
/// passing closing check ends the managed period, a failing one starts Level I from that day.
/// </summary>
public static class ManagementPolicy
{
    public const int WindowMonths = 6;
    public const int LevelOneMonths = 3;
    public const int LevelTwoMonths = 1;

    /// <summary>The state with this occurrence recorded (unchanged when the same occurrence was recorded before).</summary>
    public static VendorManagement Record(VendorManagement state, Occurrence occurrence, IReadOnlyList<string> themes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(occurrence);
        if (state.Occurrences.Any(known => known.Kind == occurrence.Kind && known.Reference == occurrence.Reference))
        {
            return state;
        }

        var earlier = state.Occurrences.Count(known => known.On > occurrence.On.AddMonths(-WindowMonths) && known.On <= occurrence.On);
        var recorded = state with { Occurrences = [.. state.Occurrences, occurrence] };
        var what = $"{OccurrenceKinds.Label(occurrence.Kind).Ja}（{occurrence.Reference}）";
        // Several occurrences on the day a Level I period starts (two overdue actions found by one run) are one start.
        if (state.Level == Levels.LevelI && state.Since == occurrence.On)
        {
            return recorded;
        }

        return earlier > 0
            ? Enter(recorded, Levels.LevelI, occurrence.On, $"6か月以内に{earlier + 1}回目の発生: {what}", "portal", themes, now)
            : state.Level == Levels.LevelI
                ? recorded
                : Enter(recorded, Levels.LevelII, occurrence.On, $"初回の発生: {what}", "portal", themes, now);
    }

    /// <summary>A reviewer's decision: Level I or II from <paramref name="today"/>, or back to normal (the reason is mandatory).</summary>
    public static VendorManagement Decide(VendorManagement state, string level, string reason, string by, DateOnly today, IReadOnlyList<string> themes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return level switch
        {
            Levels.LevelI or Levels.LevelII => Enter(state, level, today, reason, by, themes, now),
            Levels.Normal => state with
            {
                Level = Levels.Normal,
                Since = today,
                ManagedUntil = null,
                Reason = reason,
                DecidedBy = by,
                Checks = [.. state.Checks.Where(check => check.AssignmentKey is not null)],
                History = [.. state.History, new LevelChange(now, state.Level, Levels.Normal, reason, by)],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "A level is I, II or normal."),
        };
    }

    /// <summary>
    /// A scheduled check's survey was decided. A passing closing check records the effectiveness check and ends the
    /// managed period; a failing check (closing or not) starts Level I from that day. Unchanged for a survey that is no check.
    /// </summary>
    public static VendorManagement CheckDecided(VendorManagement state, string assignmentKey, bool passed, DateOnly today, string by, IReadOnlyList<string> themes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var check = state.Checks.FirstOrDefault(candidate => candidate.AssignmentKey == assignmentKey);
        if (check is null || check.Outcome is not null)
        {
            return state;
        }

        var decided = state with
        {
            Checks = [.. state.Checks.Select(candidate => candidate == check ? candidate with { Outcome = passed ? CheckOutcomes.Passed : CheckOutcomes.Failed, DecidedOn = today } : candidate)],
        };
        if (!passed)
        {
            return Enter(decided, Levels.LevelI, today, $"管理期間中の点検で不備: {assignmentKey}", by, themes, now);
        }

        return !check.Closing ? decided : decided with
        {
            Level = Levels.Normal,
            Since = today,
            ManagedUntil = null,
            Reason = $"効果確認済み: {assignmentKey}",
            DecidedBy = by,
            EffectivenessChecks = [.. decided.EffectivenessChecks, new EffectivenessCheck(today, state.Level, assignmentKey, by)],
            History = [.. decided.History, new LevelChange(now, state.Level, Levels.Normal, $"効果確認済み / Effectiveness confirmed: {assignmentKey}", by)],
        };
    }

    /// <summary>
    /// A managed period from <paramref name="start"/>: Level I has a themed self-inspection 1, 2 and 3 months on (the last
    /// one closing), Level II one check when its month ends. Checks of an earlier period that were already sent stay listed.
    /// </summary>
    private static VendorManagement Enter(VendorManagement state, string level, DateOnly start, string reason, string by, IReadOnlyList<string> themes, DateTimeOffset now)
    {
        if (themes.Count == 0)
        {
            throw new ArgumentException("At least one interim checklist is needed for the themed checks.", nameof(themes));
        }

        var months = level == Levels.LevelI ? LevelOneMonths : LevelTwoMonths;
        var checks = Enumerable.Range(1, level == Levels.LevelI ? LevelOneMonths : 1)
            .Select(month => new ScheduledCheck(start.AddMonths(level == Levels.LevelI ? month : LevelTwoMonths), themes[(month - 1) % themes.Count], Closing: month == (level == Levels.LevelI ? LevelOneMonths : 1)))
            .ToList();
        return state with
        {
            Level = level,
            Since = start,
            ManagedUntil = start.AddMonths(months),
            Reason = reason,
            DecidedBy = by,
            // Checks already sent stay listed (their outcome still counts), but only the new period's last check closes it.
            Checks = [.. state.Checks.Where(check => check.AssignmentKey is not null).Select(check => check with { Closing = false }), .. checks],
            History = [.. state.History, new LevelChange(now, state.Level, level, reason, by)],
        };
    }
}
