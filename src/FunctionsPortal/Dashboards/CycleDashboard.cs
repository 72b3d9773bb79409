using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// The dashboard's figures for one cycle and one choice of filters, read from the summaries in at most four round
/// trips: the cycle catalog, the cycle's buckets, the previous cycle's buckets, the vendors' attention rows (which exist
/// only for vendors waiting for approval or holding an expiring certification). Bucket rows are parsed once per ETag,
/// and a cycle read before is first checked by its rows' ETags alone.
/// </summary>
public sealed class CycleDashboard(CycleSummaryStore summaries, VendorRegistry registry)
{
    /// <summary>How far ahead an expiring certification counts as needing action.</summary>
    public const int CertificationDays = 60;

    /// <summary>At most this many lines of each kind are listed (the counts are always complete).</summary>
    public const int LinesPerKind = 50;

    public async Task<DashboardData> ReadAsync(string? cycle, DashboardFilters filters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var catalog = (await summaries.CyclesAsync(cancellationToken)).ToList();
        catalog.Sort(CycleInfo.Newer);
        var selected = string.IsNullOrWhiteSpace(cycle)
            ? catalog.FirstOrDefault(info => info.Family != CycleInfo.OnboardingFamily) ?? catalog.FirstOrDefault()
            : catalog.FirstOrDefault(info => info.Id == cycle) ?? CycleInfo.For(cycle, null, now);
        // Each cycle's figures take one round trip, or two when a cached cycle changed; only one of them may take two,
        // so a render stays within five (catalog, figures, previous figures, attention).
        var (figures, trips) = selected is null ? ([], 0) : await summaries.FiguresWithinAsync(selected.Id, 2, cancellationToken);
        var previous = selected?.PreviousIn(catalog);
        var previousFigures = previous is null ? [] : (await summaries.FiguresWithinAsync(previous.Id, trips >= 2 ? 1 : 2, cancellationToken)).Figures;
        var attention = (await registry.AttentionAsync(CertificationDays, cancellationToken))
            .Where(vendor => filters.Category is null || vendor.Category == filters.Category)
            .Where(vendor => filters.Owner is null || string.Equals(vendor.OwnerEmail, filters.Owner, StringComparison.OrdinalIgnoreCase))
            .OrderBy(vendor => vendor.CertificationExpiresOn ?? DateOnly.MaxValue).ThenBy(vendor => vendor.NameJa, StringComparer.Ordinal)
            .ToList();

        var chosen = figures.Where(filters.Includes).ToList();
        var totals = BucketTotals.Sum(chosen.Select(bucket => bucket.Totals));
        var previousTotals = BucketTotals.Sum(previousFigures.Where(filters.Includes).Select(bucket => bucket.Totals));
        var actions = chosen.SelectMany(bucket => bucket.Actions).ToList();
        var owners = figures.Select(bucket => bucket.Bucket).Where(bucket => bucket != SummaryBucket.Unknown)
            .GroupBy(bucket => bucket.OwnerEmail.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(group => new OwnerOption(group.First().OwnerEmail, group.First().OwnerName))
            .OrderBy(owner => owner.Name, StringComparer.Ordinal).ToList();
        return new DashboardData(
            catalog, selected, previous, filters, owners, totals, previousTotals,
            Lines(actions), totals.Actions,
            previous is null ? null : GradeMoves.Between(chosen.SelectMany(bucket => bucket.Grades), previousFigures.SelectMany(bucket => bucket.Grades)),
            attention);
    }

    /// <summary>Reviews the longest-waiting first, then overdue (longest first), failed critical items, unreachable vendors.</summary>
    private static IReadOnlyList<ActionEntry> Lines(IEnumerable<ActionEntry> actions) =>
        actions.GroupBy(action => action.Kind).OrderBy(group => group.Key)
            .SelectMany(group => group.OrderBy(action => action.Since).ThenBy(action => action.Entry, StringComparer.Ordinal).Take(LinesPerKind))
            .ToList();
}

/// <summary>The dashboard's filters (from the query string); null means all.</summary>
public sealed record DashboardFilters(string? Tier = null, string? Category = null, string? Owner = null)
{
    public bool Includes(BucketFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var bucket = figures.Bucket;
        return (Tier is null || bucket.Tier == Tier)
            && (Category is null || bucket.Category == Category)
            && (Owner is null || string.Equals(bucket.OwnerEmail, Owner, StringComparison.OrdinalIgnoreCase));
    }

    public bool Any => Tier is not null || Category is not null || Owner is not null;
}

public sealed record OwnerOption(string Email, string Name);

/// <summary>Vendors graded in both cycles: how many moved up a grade band (or more), down, or stayed.</summary>
public sealed record GradeMoves(int Up, int Down, int Same)
{
    public static GradeMoves Between(IEnumerable<KeyValuePair<string, VendorGrade>> current, IEnumerable<KeyValuePair<string, VendorGrade>> previous)
    {
        var before = new Dictionary<string, VendorGrade>(StringComparer.Ordinal);
        foreach (var (vendor, grade) in previous)
        {
            before[vendor] = before.TryGetValue(vendor, out var held) && held.Percentage >= grade.Percentage ? held : grade;
        }

        int up = 0, down = 0, same = 0;
        foreach (var (vendor, grade) in current)
        {
            if (!before.TryGetValue(vendor, out var earlier))
            {
                continue;
            }

            var rank = Rank(grade.Grade).CompareTo(Rank(earlier.Grade));
            _ = rank < 0 ? up++ : rank > 0 ? down++ : same++;
        }

        return new GradeMoves(up, down, same);
    }

    private static int Rank(string grade) => BucketTotals.GradeOrder.ToList().IndexOf(grade) is var index and >= 0 ? index : int.MaxValue;
}

public sealed record DashboardData(
    IReadOnlyList<CycleInfo> Cycles,
    CycleInfo? Cycle,
    CycleInfo? Previous,
    DashboardFilters Filters,
    IReadOnlyList<OwnerOption> Owners,
    BucketTotals Totals,
    BucketTotals PreviousTotals,
    IReadOnlyList<ActionEntry> Actions,
    IReadOnlyDictionary<ActionKind, int> ActionCounts,
    GradeMoves? Moves,
    IReadOnlyList<VendorAttention> Attention)
{
    public string AssignmentKeyOf(ActionEntry action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var parts = action.Entry.Split('~');
        return AssignmentKey.For(Cycle!.Id, parts[0], parts[1]);
    }
}
