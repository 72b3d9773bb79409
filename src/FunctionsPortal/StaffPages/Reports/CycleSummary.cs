using FunctionsPortal.Checklists;
using FunctionsPortal.Exports;
using FunctionsPortal.StaffPages.Dashboard;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.StaffPages.Reports;

/// <summary>A cycle in the figures management asks for: counts by status, grades, mean score, the most frequent findings, who is late.</summary>
public sealed record CycleSummary(
    string Cycle,
    int Total,
    IReadOnlyList<StatusCount> Counts,
    IReadOnlyList<GradeCount> Grades,
    int Scored,
    decimal? MeanScore,
    int CriticalFailures,
    IReadOnlyList<FrequentFinding> TopFindings,
    IReadOnlyList<OverdueVendor> Overdue)
{
    public const int TopFindingCount = 10;

    /// <summary>The grades counted, best first, then the submissions that got no score (incomplete).</summary>
    public static readonly IReadOnlyList<string> GradeOrder = ["A", "B", "C", "D"];

    public static CycleSummary From(CycleSnapshot cycle, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var entries = cycle.Entries;
        var scores = entries.Where(entry => entry.Score is not null).Select(entry => (entry, score: entry.Score!)).ToList();
        var percentages = scores.Where(pair => pair.score.Percentage is not null).Select(pair => pair.score.Percentage!.Value).ToList();
        var findings = scores
            .SelectMany(pair => pair.score.Findings.Select(finding => (pair.entry, finding)))
            .GroupBy(pair => pair.finding.ItemId, StringComparer.Ordinal)
            .Select(group => new FrequentFinding(
                group.Key, group.First().finding.Text, group.First().finding.Action, group.Any(pair => pair.finding.Critical), group.Count(),
                group.Count(pair => pair.finding.Answer == StatusAnswers.NotDone)))
            .OrderByDescending(finding => finding.Vendors).ThenByDescending(finding => finding.Critical).ThenBy(finding => finding.ItemId, StringComparer.Ordinal)
            .Take(TopFindingCount)
            .ToList();
        var overdue = entries
            .Where(entry => entry.Assignment.Status == AssignmentStatus.Overdue || (AssignmentStatus.AwaitsVendor(entry.Assignment.Status) && entry.Assignment.DueOn < today))
            .Select(entry => new OverdueVendor(entry.Assignment.VendorId, entry.VendorName, entry.Assignment.Key, entry.Assignment.Status, entry.Assignment.DueOn, today.DayNumber - entry.Assignment.DueOn.DayNumber))
            .OrderByDescending(vendor => vendor.DaysLate).ThenBy(vendor => vendor.VendorName, StringComparer.Ordinal)
            .ToList();
        return new CycleSummary(
            cycle.Cycle,
            entries.Count,
            DashboardEndpoints.StatusOrder.Select(status => new StatusCount(status, entries.Count(entry => entry.Assignment.Status == status))).ToList(),
            [.. GradeOrder.Select(grade => new GradeCount(grade, scores.Count(pair => pair.score.Grade == grade))), new GradeCount(null, scores.Count(pair => pair.score.Grade is null))],
            scores.Count,
            percentages.Count == 0 ? null : Math.Round(percentages.Average(), 1),
            scores.Count(pair => pair.score.CriticalFailed),
            findings,
            overdue);
    }
}

/// <summary>How many scored submissions got a grade (null: sealed but incomplete, so no score).</summary>
public sealed record GradeCount(string? Grade, int Count);

/// <summary>An item that failed (△ or ×) for <see cref="Vendors"/> vendors, <see cref="NotDone"/> of them ×.</summary>
public sealed record FrequentFinding(string ItemId, Localized Text, Localized Action, bool Critical, int Vendors, int NotDone);

public sealed record OverdueVendor(string VendorId, string VendorName, string AssignmentKey, string Status, DateOnly DueOn, int DaysLate);
