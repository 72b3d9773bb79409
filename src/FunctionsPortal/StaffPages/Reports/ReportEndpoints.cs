using System.Globalization;
using FunctionsPortal.Exports;
using FunctionsPortal.Hosting;
using FunctionsPortal.Scoring;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Submissions;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Reports;

/// <summary>
/// Printable reports (A4, print CSS): one vendor's report (GET /staff/reports/vendors/{id}) and a cycle summary for
/// management, 取締役会等への報告 (GET /staff/reports/cycles/{cycle}?previous=), with the cycle's downloads.
/// </summary>
internal static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder pages)
    {
        pages.MapGet("/reports/vendors/{id}", VendorAsync);
        pages.MapGet("/reports/cycles/{cycle}", CycleAsync);
        return pages;
    }

    public static string VendorUrl(string id) => $"/staff/reports/vendors/{Uri.EscapeDataString(id)}";

    public static string CycleUrl(string cycle) => $"/staff/reports/cycles/{Uri.EscapeDataString(cycle)}";

    /// <remarks>Round trips: the registry (one query), the vendor's submissions (one partition) and one score blob.</remarks>
    internal static async Task<IResult> VendorAsync(
        string id, StaffPageContext page, VendorRegistry registry, SubmissionStore submissions, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await registry.FindAsync(id, cancellationToken) is not { } vendor)
        {
            return PageResults.Render(new StaffMessageView(page, "委託先が見つかりません", "No such vendor",
                $"「{id}」という委託先は登録されていません。", $"There is no vendor '{id}'."), StatusCodes.Status404NotFound);
        }

        var history = await submissions.ListForVendorAsync(id, cancellationToken);
        var latest = history.FirstOrDefault(record => record.Percentage is not null);
        var score = latest is null ? null : await submissions.ReadScoreAsync(latest.AssignmentKey, latest.Version, cancellationToken);
        return PageResults.Render(new VendorReportView(page, vendor, latest, score, history, clock.GetUtcNow()));
    }

    /// <remarks>Round trips: those of <see cref="CycleReader"/> with scores, twice when a previous cycle is compared.</remarks>
    internal static async Task<IResult> CycleAsync(
        string cycle, StaffPageContext page, CycleReader reader, TimeProvider clock, CancellationToken cancellationToken, string? previous = null)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(PageText.Japan).DateTime);
        var current = CycleSummary.From(await reader.ReadAsync(cycle, CycleParts.Scores, cancellationToken), today);
        var compareWith = string.IsNullOrWhiteSpace(previous) ? PreviousPlanPeriod(cycle) : previous.Trim();
        var before = compareWith is null || compareWith == cycle ? null : CycleSummary.From(await reader.ReadAsync(compareWith, CycleParts.Scores, cancellationToken), today);
        return PageResults.Render(new CycleReportView(page, current, before is { Total: > 0 } ? before : null, compareWith, now));
    }

    /// <summary>A tier-plan period's counterpart a year earlier (plan-2026-04 → plan-2025-04); campaigns name theirs with ?previous=.</summary>
    internal static string? PreviousPlanPeriod(string cycle) =>
        cycle.StartsWith("plan-", StringComparison.Ordinal)
        && DateOnly.TryParseExact(cycle["plan-".Length..] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            ? Surveys.SurveyCycles.Plan(start.AddYears(-1))
            : null;
}

public sealed record VendorReportView(
    StaffPageContext Page, VendorView Vendor, SubmissionRecord? Latest, ScoreResult? Score, IReadOnlyList<SubmissionRecord> History, DateTimeOffset GeneratedAt)
    : IStaffPageView<VendorReportPage>;

public sealed record CycleReportView(StaffPageContext Page, CycleSummary Summary, CycleSummary? Previous, string? PreviousCycle, DateTimeOffset GeneratedAt)
    : IStaffPageView<CycleReportPage>;
