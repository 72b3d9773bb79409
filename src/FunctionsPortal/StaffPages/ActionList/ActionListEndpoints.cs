using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.StaffPages.ActionList;

/// <summary>GET /staff/actions: every corrective action, open ones first by due date, filtered by status (one partition query).</summary>
internal static class ActionListEndpoints
{
    public const string Url = "/staff/actions";

    public static RouteGroupBuilder MapActionList(this RouteGroupBuilder pages)
    {
        pages.MapGet("/actions", ShowAsync);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(
        StaffPageContext page, CorrectiveActionStore store, ITaskBoard board, IWebHostEnvironment environment, TimeProvider clock, CancellationToken cancellationToken, string? status = null)
    {
        // "open" (the default) is every status still open; a known status narrows to it; anything else shows all.
        var filter = status is null or "open" ? "open" : ActionStatuses.All.Contains(status) ? status : "all";
        var all = await store.ListAsync(filter is "open" or "all" ? null : filter, cancellationToken);
        var shown = (filter == "open" ? all.Where(action => action.IsOpen) : all)
            .OrderBy(action => action.IsOpen ? 0 : 1).ThenBy(action => action.DueOn).ThenBy(action => action.Id, StringComparer.Ordinal).ToList();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);
        return PageResults.Render(new ActionListView(page, shown, filter, today, board is LocalTaskBoard && environment.IsDevelopment()));
    }
}

public sealed record ActionListView(StaffPageContext Page, IReadOnlyList<CorrectiveAction> Actions, string Filter, DateOnly Today, bool LocalBoard) : IStaffPageView<ActionListPage>;
