using FunctionsPortal.Dashboards;
using FunctionsPortal.Hosting;
using FunctionsPortal.Incidents;
using FunctionsPortal.StaffPages.Incidents;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Dashboard;

/// <summary>GET /staff: one cycle at a glance, read from the kept summaries (never the assignments): status, grades, sections, the previous cycle, what needs a person.</summary>
internal static class DashboardEndpoints
{
    /// <summary>The order statuses are counted and drawn in: the survey's life from planned to closed.</summary>
    internal static readonly IReadOnlyList<string> StatusOrder =
    [
        AssignmentStatus.Scheduled, AssignmentStatus.Invited, AssignmentStatus.Opened, AssignmentStatus.InProgress, AssignmentStatus.Submitted,
        AssignmentStatus.Resubmitted, AssignmentStatus.UnderReview, AssignmentStatus.ChangesRequested, AssignmentStatus.Accepted,
        AssignmentStatus.Overdue, AssignmentStatus.Cancelled,
    ];

    public static RouteGroupBuilder MapDashboard(this RouteGroupBuilder pages)
    {
        pages.MapGet("/", ShowAsync);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(
        StaffPageContext page, CycleDashboard dashboard, IncidentStore incidents, IncidentClock incidentClock, TimeProvider clock, CancellationToken cancellationToken,
        string? cycle = null, string? tier = null, string? category = null, string? owner = null)
    {
        // A hand-edited address never breaks the page: unknown tiers and categories mean "all".
        var filters = new DashboardFilters(
            Known(tier, VendorVocabulary.RiskTiers), Known(category, VendorVocabulary.BusinessCategories), string.IsNullOrWhiteSpace(owner) ? null : owner.Trim());
        var now = clock.GetUtcNow();
        // The open incidents: one range query over the open index, alongside the summaries rather than after them.
        var open = incidents.ListOpenAsync(cancellationToken);
        var read = dashboard.ReadAsync(string.IsNullOrWhiteSpace(cycle) ? null : cycle.Trim(), filters, now, cancellationToken);
        await Task.WhenAll(open, read);
        var data = await read;
        var counts = StatusOrder.Select(status => new StatusCount(status, data.Totals.Statuses.GetValueOrDefault(status))).ToList();
        var owing = (await open).Select(incident => IncidentDeadlines.Of(incident, incidentClock, now)).Where(deadlines => deadlines.NextDue is not null)
            .OrderBy(deadlines => deadlines.NextDue).ThenBy(deadlines => deadlines.Incident.AwareAt).ToList();
        return PageResults.Render(new DashboardView(page, data, counts) { Incidents = owing });
    }

    private static string? Known(string? value, IReadOnlySet<string> vocabulary) => value is not null && vocabulary.Contains(value) ? value : null;
}

public sealed record StatusCount(string Status, int Count);

public sealed record DashboardView(StaffPageContext Page, DashboardData Data, IReadOnlyList<StatusCount> Counts) : IStaffPageView<DashboardPage>
{
    public int Total => Data.Totals.Total;

    /// <summary>Open reportable incidents still owing a report to the PPC, the nearest deadline first.</summary>
    public IReadOnlyList<IncidentDeadlines> Incidents { get; init; } = [];
}
