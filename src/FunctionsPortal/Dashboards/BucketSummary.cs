using System.Text.Json.Serialization;
using FunctionsPortal.Scoring;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// One bucket of one cycle: every assignment's <see cref="SummaryEntry"/> (by "vendor~kind"), and the figures
/// derived from them — always recomputed from the entries, so they can never disagree with them.
/// </summary>
public sealed class BucketSummary(SummaryBucket bucket)
{
    public SummaryBucket Bucket { get; } = bucket;

    public Dictionary<string, SummaryEntry> Entries { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Section titles as scoring named them (ja, en), by section id.</summary>
    public Dictionary<string, string[]> SectionTitles { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Takes the assignment's state unless the bucket already holds the same or a newer revision; true if anything changed.</summary>
    public bool Apply(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var key = EntryKey(assignment);
        var titlesChanged = false;
        foreach (var section in assignment.Score?.Sections ?? [])
        {
            titlesChanged |= SectionTitles.TryAdd(section.SectionId, [section.TitleJa, section.TitleEn]);
        }

        if (Entries.TryGetValue(key, out var held) && held.Revision >= assignment.Revision)
        {
            return titlesChanged;
        }

        Entries[key] = SummaryEntry.From(assignment);
        return true;
    }

    /// <summary>Takes each of <paramref name="changes"/>' entries unless this bucket holds the same or a newer revision; true if anything changed.</summary>
    public bool Take(BucketSummary changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var changed = false;
        foreach (var (id, title) in changes.SectionTitles)
        {
            changed |= SectionTitles.TryAdd(id, title);
        }

        foreach (var (key, entry) in changes.Entries)
        {
            if (!Entries.TryGetValue(key, out var held) || held.Revision < entry.Revision)
            {
                Entries[key] = entry;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Keeps, of this bucket's and <paramref name="stored"/>'s entries, the newer revision of each (a rebuild racing live updates).</summary>
    public void KeepNewerFrom(BucketSummary stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var (key, entry) in stored.Entries)
        {
            if (!Entries.TryGetValue(key, out var mine) || mine.Revision < entry.Revision)
            {
                Entries[key] = entry;
            }
        }

        foreach (var (id, title) in stored.SectionTitles)
        {
            SectionTitles.TryAdd(id, title);
        }
    }

    public static string EntryKey(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return $"{assignment.VendorId}~{assignment.Kind}";
    }

    public BucketTotals Totals()
    {
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var grades = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var verdicts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sections = new SortedDictionary<string, SectionSum>(StringComparer.Ordinal);
        decimal scoreSum = 0;
        var scored = 0;
        foreach (var entry in Entries.Values)
        {
            statuses[entry.Status] = statuses.GetValueOrDefault(entry.Status) + 1;
            if (entry.Status == AssignmentStatus.Cancelled)
            {
                continue; // a cancelled survey's old score does not describe the cycle
            }

            if (entry.Grade is { } grade)
            {
                grades[grade] = grades.GetValueOrDefault(grade) + 1;
            }

            if (entry.Verdict is { } verdict)
            {
                verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            }

            if (entry.Percentage is { } percentage)
            {
                scoreSum += percentage;
                scored++;
            }

            foreach (var (id, value) in entry.Sections ?? new Dictionary<string, decimal>())
            {
                var sum = sections.GetValueOrDefault(id) ?? new SectionSum(SectionTitles.GetValueOrDefault(id)?[0] ?? id, SectionTitles.GetValueOrDefault(id)?[1] ?? id, 0, 0);
                sections[id] = sum with { Sum = sum.Sum + value, Count = sum.Count + 1 };
            }
        }

        var actions = new SortedDictionary<ActionKind, int>(Entries.Values.SelectMany(entry => entry.Actions()).GroupBy(kind => kind).ToDictionary(group => group.Key, group => group.Count()));
        return new BucketTotals(statuses, grades, verdicts, scoreSum, scored, sections, actions);
    }

    /// <summary>
    /// What needs a person: of each reason the <paramref name="perKind"/> longest-waiting (the dashboard lists no more,
    /// and the cycle's longest-waiting are among its buckets' longest-waiting); the counts are in the totals.
    /// </summary>
    public IReadOnlyList<ActionEntry> Actions(int perKind = int.MaxValue) =>
        Entries.SelectMany(pair => pair.Value.Actions().Select(kind => new ActionEntry(kind, pair.Key, pair.Value.Since, pair.Value.DueOn, pair.Value.Grade)))
            .GroupBy(action => action.Kind)
            .SelectMany(group => group.OrderBy(action => action.Since).ThenBy(action => action.Entry, StringComparer.Ordinal).Take(perKind))
            .ToList();

    /// <summary>Each vendor's grade and percentage in this bucket (the best of its scored, not cancelled surveys).</summary>
    public IReadOnlyDictionary<string, VendorGrade> Grades() =>
        Entries.Where(pair => pair.Value.Grade is not null && pair.Value.Percentage is not null && pair.Value.Status != AssignmentStatus.Cancelled)
            .GroupBy(pair => pair.Key.Split('~')[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(pair => new VendorGrade(pair.Value.Grade!, pair.Value.Percentage!.Value)).MaxBy(grade => grade.Percentage)!, StringComparer.Ordinal);
}

public sealed record BucketTotals(
    IReadOnlyDictionary<string, int> Statuses,
    IReadOnlyDictionary<string, int> Grades,
    IReadOnlyDictionary<string, int> Verdicts,
    decimal ScoreSum,
    int Scored,
    IReadOnlyDictionary<string, SectionSum> Sections,
    IReadOnlyDictionary<ActionKind, int> Actions)
{

    /// <summary>Bucket totals added up (the dashboard's filters choose the buckets).</summary>
    public static BucketTotals Sum(IEnumerable<BucketTotals> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var grades = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var verdicts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sections = new SortedDictionary<string, SectionSum>(StringComparer.Ordinal);
        var actions = new SortedDictionary<ActionKind, int>();
        decimal scoreSum = 0;
        var scored = 0;
        static void Add(SortedDictionary<string, int> into, IReadOnlyDictionary<string, int> from)
        {
            foreach (var (key, count) in from)
            {
                into[key] = into.GetValueOrDefault(key) + count;
            }
        }

        foreach (var part in parts)
        {
            Add(statuses, part.Statuses);
            Add(grades, part.Grades);
            Add(verdicts, part.Verdicts);
            scoreSum += part.ScoreSum;
            scored += part.Scored;
            foreach (var (kind, count) in part.Actions ?? new Dictionary<ActionKind, int>())
            {
                actions[kind] = actions.GetValueOrDefault(kind) + count;
            }

            foreach (var (id, sum) in part.Sections)
            {
                sections[id] = sections.TryGetValue(id, out var held) ? held with { Sum = held.Sum + sum.Sum, Count = held.Count + sum.Count } : sum;
            }
        }

        return new BucketTotals(statuses, grades, verdicts, scoreSum, scored, sections, actions);
    }

    [JsonIgnore]
    public int Total => Statuses.Values.Sum();

    [JsonIgnore]
    public decimal? MeanScore => Scored == 0 ? null : Math.Round(ScoreSum / Scored, 1);

    /// <summary>Grade letters in the order of the default bands (A first).</summary>
    public static IReadOnlyList<string> GradeOrder { get; } = GradeBands.Default.Bands.OrderByDescending(band => band.Minimum).Select(band => band.Grade).ToList();
}

public sealed record SectionSum(string TitleJa, string TitleEn, decimal Sum, int Count)
{
    [JsonIgnore]
    public decimal Mean => Count == 0 ? 0 : Math.Round(Sum / Count, 1);
}

/// <summary>One "needs action" line: why, which survey (vendor~kind within the cycle), since when, due when.</summary>
public sealed record ActionEntry(ActionKind Kind, string Entry, DateTimeOffset Since, DateOnly DueOn, string? Grade);

public sealed record VendorGrade(string Grade, decimal Percentage);

/// <summary>Vendors' grades as one compact text ("vendor=A:92.5;…"): a render parses thousands of them.</summary>
public static class VendorGrades
{
    public static string Format(IReadOnlyDictionary<string, VendorGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(grades);
        return string.Join(';', grades.Select(pair => $"{pair.Key}={pair.Value.Grade}:{pair.Value.Percentage.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    public static IReadOnlyDictionary<string, VendorGrade> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var grades = new Dictionary<string, VendorGrade>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.LastIndexOf('=');
            var colon = part.LastIndexOf(':');
            grades[part[..equals]] = new VendorGrade(part[(equals + 1)..colon], decimal.Parse(part[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return grades;
    }
}
