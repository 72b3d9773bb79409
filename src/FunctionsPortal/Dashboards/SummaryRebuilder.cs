using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// Recomputes a cycle's summary from its assignments partition — healing drift left by a crash between an assignment
/// write and its summary update. Safe beside live updates: rows are replaced under the ETag read before the
/// assignments were, and an entry some update made newer meanwhile is kept; a conflict starts the cycle again.
/// </summary>
public sealed partial class SummaryRebuilder(AssignmentStore assignments, CycleSummaryStore summaries, ILogger<SummaryRebuilder> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Rebuilds one cycle; returns how many bucket rows it wrote (0: the summary was exact).</summary>
    public async Task<int> RebuildAsync(string cycle, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = (await summaries.BucketsAsync(cycle, cancellationToken)).ToDictionary(row => row.Summary.Bucket.RowKey, StringComparer.Ordinal);
            var rebuilt = new Dictionary<string, BucketSummary>(StringComparer.Ordinal);
            foreach (var assignment in await assignments.ListAsync(new AssignmentQuery(Cycle: cycle), cancellationToken))
            {
                var bucket = SummaryBucket.Of(assignment);
                if (!rebuilt.TryGetValue(bucket.RowKey, out var summary))
                {
                    rebuilt[bucket.RowKey] = summary = new BucketSummary(bucket);
                }

                summary.Apply(assignment);
            }

            var written = 0;
            var conflict = false;
            foreach (var (key, summary) in rebuilt)
            {
                if (stored.TryGetValue(key, out var held))
                {
                    summary.KeepNewerFrom(held.Summary);
                    if (Same(summary, held.Summary))
                    {
                        continue;
                    }
                }

                conflict |= !await summaries.TryWriteAsync(cycle, summary, stored.TryGetValue(key, out var row) ? row.ETags : null, cancellationToken);
                written++;
            }

            foreach (var (key, held) in stored.Where(pair => !rebuilt.ContainsKey(pair.Key)))
            {
                conflict |= !await summaries.TryDeleteAsync(cycle, held.Summary.Bucket, held.ETags, cancellationToken);
                written++;
            }

            if (!conflict || attempt == MaxAttempts)
            {
                await summaries.EnsureCatalogedAsync(cycle, cancellationToken);
                if (written > 0)
                {
                    LogRebuilt(cycle, written);
                }

                return written;
            }
        }
    }

    private static bool Same(BucketSummary left, BucketSummary right) =>
        left.Entries.Count == right.Entries.Count && left.Entries.All(pair => right.Entries.TryGetValue(pair.Key, out var other) && Equivalent(pair.Value, other));

    private static bool Equivalent(SummaryEntry left, SummaryEntry right) =>
        left with { Sections = null } == right with { Sections = null }
        && (left.Sections ?? new Dictionary<string, decimal>()).OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .SequenceEqual((right.Sections ?? new Dictionary<string, decimal>()).OrderBy(pair => pair.Key, StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Summary of cycle {Cycle} had drifted from its assignments: {Rows} bucket rows rewritten")]
    private partial void LogRebuilt(string cycle, int rows);
}
