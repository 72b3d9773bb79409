using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.StaffPages.Dashboard;

/// <summary>GET /staff: one cycle at a glance — assignments by status, and what needs a person now.</summary>
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
        StaffPageContext page, AssignmentStore assignments, CampaignStore campaigns, VendorRegistry registry, TimeProvider clock, CancellationToken cancellationToken,
        string? cycle = null)
    {
        var cycles = await CyclesAsync(campaigns, clock, cancellationToken);
        if (!string.IsNullOrWhiteSpace(cycle) && cycles.All(candidate => candidate.Id != cycle))
        {
            // A cycle named in the address that is neither a campaign nor a recent plan period (an older one, say).
            cycles = [new CycleOption(cycle, cycle, cycle), .. cycles];
        }

        // Without a choice, the most recent cycle that has any assignment (one small query per cycle tried).
        string? selected = null;
        IReadOnlyList<Assignment> rows = [];
        foreach (var candidate in string.IsNullOrWhiteSpace(cycle) ? cycles.Select(option => option.Id) : [cycle])
        {
            rows = await assignments.ListAsync(new AssignmentQuery(Cycle: candidate), cancellationToken);
            if (rows.Count > 0 || !string.IsNullOrWhiteSpace(cycle))
            {
                selected = candidate;
                break;
            }
        }

        var counts = StatusOrder.Select(status => new StatusCount(status, rows.Count(row => row.Status == status))).ToList();
        var awaitingApproval = (await registry.ListAsync(new VendorQuery(null, null, null, null, null, 20, null, Approval: "requested"), cancellationToken)).Items;
        return PageResults.Render(new DashboardView(page, cycles, selected, rows.Count, counts, NeedsAction(rows), awaitingApproval));
    }

    /// <summary>Campaigns, newest first, then the last 13 months' tier-plan cycles and the subcontractors' onboarding.</summary>
    private static async Task<IReadOnlyList<CycleOption>> CyclesAsync(CampaignStore campaigns, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);
        var month = new DateOnly(today.Year, today.Month, 1);
        var options = (await campaigns.ListAsync(activeOnly: false, cancellationToken))
            .OrderByDescending(campaign => campaign.CreatedAt)
            .Select(campaign => new CycleOption(campaign.Id, campaign.Name, campaign.Name))
            .ToList();
        options.AddRange(Enumerable.Range(0, 13).Select(back => month.AddMonths(-back)).Select(start =>
            new CycleOption(SurveyCycles.Plan(start), $"年間計画 {start:yyyy年M月}期", $"Plan period from {start:MMM yyyy}")));
        options.Add(new CycleOption(SurveyPlanner.OnboardingCycle, "再委託先の取扱方法の書面", "Subcontractors' handling-method documents"));
        return options;
    }

    /// <summary>What waits for a person, the longest-waiting first.</summary>
    private static IReadOnlyList<ActionItem> NeedsAction(IReadOnlyList<Assignment> rows)
    {
        static DateTimeOffset Since(Assignment row) => row.History.Count > 0 ? row.History[^1].At : row.CreatedAt;
        var items = new List<ActionItem>();
        items.AddRange(rows.Where(row => row.Status is AssignmentStatus.Submitted or AssignmentStatus.Resubmitted or AssignmentStatus.UnderReview)
            .Select(row => new ActionItem(ActionKind.Review, row, Since(row))));
        items.AddRange(rows.Where(row => row.Status == AssignmentStatus.Overdue).Select(row => new ActionItem(ActionKind.Overdue, row, Since(row))));
        items.AddRange(rows.Where(row => row.RecipientProblem is not null && !AssignmentStatus.IsFinal(row.Status))
            .Select(row => new ActionItem(ActionKind.Unreachable, row, row.CreatedAt)));
        return items.OrderBy(item => item.Kind).ThenBy(item => item.Since).ToList();
    }
}

public sealed record CycleOption(string Id, string NameJa, string NameEn);

public sealed record StatusCount(string Status, int Count);

public enum ActionKind
{
    Review,
    Overdue,
    Unreachable,
}

public sealed record ActionItem(ActionKind Kind, Assignment Assignment, DateTimeOffset Since);

public sealed record DashboardView(
    StaffPageContext Page,
    IReadOnlyList<CycleOption> Cycles,
    string? Cycle,
    int Total,
    IReadOnlyList<StatusCount> Counts,
    IReadOnlyList<ActionItem> NeedsAction,
    IReadOnlyList<VendorSummary> AwaitingApproval) : IStaffPageView<DashboardPage>;
