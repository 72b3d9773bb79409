using System.Collections.Concurrent;
using FunctionsPortal.Checklists;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Exports;

/// <summary>What an export or report needs of a cycle beyond its assignments.</summary>
[Flags]
public enum CycleParts
{
    None = 0,

    /// <summary>The score of each assignment's latest sealed version (one blob read per submitted assignment).</summary>
    Scores = 1,

    /// <summary>The latest sealed answers (one blob read per submitted assignment) and each checklist version used.</summary>
    Answers = 2,
}

/// <summary>One assignment of the cycle, its vendor (null when no longer registered) and what was read of its latest sealed version.</summary>
public sealed record CycleEntry(Assignment Assignment, VendorView? Vendor, ScoreResult? Score, SealedPayload? Payload)
{
    public string VendorName => Vendor?.Vendor.LegalName.Ja ?? Payload?.Assignment.VendorNameJa ?? "";

    /// <summary>When the latest version was sealed, from the assignment's own history (no read needed).</summary>
    public DateTimeOffset? SubmittedAt => Assignment.History.LastOrDefault(change => change.To is AssignmentStatus.Submitted or AssignmentStatus.Resubmitted)?.At;
}

public sealed record CycleSnapshot(string Cycle, IReadOnlyList<CycleEntry> Entries, IReadOnlyDictionary<(string Id, int Version), ResolvedChecklist> Checklists)
{
    public ResolvedChecklist? ChecklistOf(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.ChecklistId is { } id && assignment.ChecklistVersion is { } version ? Checklists.GetValueOrDefault((id, version)) : null;
    }
}

/// <summary>
/// Reads one cycle for exports and printable reports. Storage round trips: one partition query of the assignments
/// table (a page per 1,000 rows), one query of the vendor registry (a page per 1,000 vendors), then per submitted
/// assignment one blob read (the score, or the sealed answers — two when both are asked for), and for answers one
/// or two reads per checklist version used. So a cycle of n submitted surveys costs about n + 3 round trips: fine for a
/// download or a report someone asked for, never for a page that renders on every visit. The blob reads run at most
/// <see cref="Parallelism"/> at a time, so a large cycle neither waits on them one by one nor floods the account.
/// </summary>
public sealed class CycleReader(AssignmentStore assignments, VendorRegistry registry, SubmissionStore submissions, SubmissionSealer sealer, ChecklistLibrary checklists)
{
    public const int Parallelism = 8;

    public async Task<CycleSnapshot> ReadAsync(string cycle, CycleParts parts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cycle);
        var rows = await assignments.ListAsync(new AssignmentQuery(Cycle: cycle), cancellationToken);
        var vendors = (await registry.AllAsync(cancellationToken)).ToDictionary(view => view.Id, StringComparer.Ordinal);
        var ordered = rows
            .OrderBy(row => vendors.GetValueOrDefault(row.VendorId)?.Vendor.LegalName.Ja ?? row.VendorId, StringComparer.Ordinal)
            .ThenBy(row => row.VendorId, StringComparer.Ordinal).ThenBy(row => row.Kind, StringComparer.Ordinal)
            .ToList();
        var entries = new CycleEntry[ordered.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (index, token) =>
        {
            var assignment = ordered[index];
            ScoreResult? score = null;
            SealedPayload? payload = null;
            if (assignment.SubmittedVersion is { } version)
            {
                if (parts.HasFlag(CycleParts.Scores))
                {
                    score = await submissions.ReadScoreAsync(assignment.Key, version, token);
                }

                if (parts.HasFlag(CycleParts.Answers))
                {
                    payload = (await sealer.FindAsync(assignment.Key, version, token))?.Payload;
                }
            }

            entries[index] = new CycleEntry(assignment, vendors.GetValueOrDefault(assignment.VendorId), score, payload);
        });

        var resolved = new ConcurrentDictionary<(string, int), ResolvedChecklist>();
        if (parts.HasFlag(CycleParts.Answers))
        {
            var used = ordered.Where(row => row.ChecklistId is not null && row.ChecklistVersion is not null).Select(row => (row.ChecklistId!, row.ChecklistVersion!.Value)).Distinct().ToList();
            await Parallel.ForEachAsync(used, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (key, token) =>
            {
                if (await checklists.ResolveAsync(key.Item1, key.Item2, token) is { } checklist)
                {
                    resolved[key] = checklist;
                }
            });
        }

        return new CycleSnapshot(cycle, entries, resolved);
    }
}
