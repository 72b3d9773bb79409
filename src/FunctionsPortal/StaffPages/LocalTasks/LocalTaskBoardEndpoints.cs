using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.LocalTasks;

/// <summary>
/// /staff/actions/tasks: the local stand-in for Microsoft Planner (Development only, and only when Planner is not
/// configured). It lists the local task list and lets staff move a task to not started / in progress / completed —
/// what someone does in Planner; the SyncPlannerTasks timer then reads it like Planner. Post/Redirect/Get.
/// </summary>
internal static class LocalTaskBoardEndpoints
{
    public const string Url = "/staff/actions/tasks";

    /// <summary>Progress values a person can choose, as Planner offers them.</summary>
    internal static readonly IReadOnlyDictionary<string, int> Progress = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["not-started"] = 0,
        ["in-progress"] = 50,
        ["completed"] = 100,
    };

    public static RouteGroupBuilder MapLocalTaskBoard(this RouteGroupBuilder pages)
    {
        var services = ((IEndpointRouteBuilder)pages).ServiceProvider;
        if (services.GetRequiredService<IWebHostEnvironment>().IsDevelopment() && services.GetService<ITaskBoard>() is LocalTaskBoard)
        {
            pages.MapGet("/actions/tasks", ShowAsync);
            pages.MapPost("/actions/tasks/{taskId}/progress", SetProgressAsync);
        }

        return pages;
    }

    internal static async Task<IResult> ShowAsync(StaffPageContext page, LocalTaskBoard board, CancellationToken cancellationToken) =>
        PageResults.Render(new LocalTaskBoardView(page, await board.ListAllAsync(cancellationToken)));

    internal static async Task<IResult> SetProgressAsync(
        string taskId, [AsParameters] LocalTaskProgressForm form, HttpContext context, LocalTaskBoard board, CancellationToken cancellationToken)
    {
        if (form.Progress is null || !Progress.TryGetValue(form.Progress, out var percent))
        {
            Flash.Write(context, [Notice.Error(null, "進捗を選んでください。", "Choose a progress.")]);
        }
        else if (!await board.SetProgressAsStaffAsync(taskId, percent, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        else
        {
            Flash.Write(context, [Notice.Info("タスクの進捗を変更しました。", "Task progress changed.")]);
        }

        return TypedResults.Redirect(Url);
    }
}

public sealed record LocalTaskProgressForm
{
    /// <summary>"not-started", "in-progress" or "completed".</summary>
    [FromForm]
    public string? Progress { get; init; }
}

public sealed record LocalTaskBoardView(StaffPageContext Page, IReadOnlyList<LocalTask> Tasks) : IStaffPageView<LocalTaskBoardPage>
{
    public static string ProgressOf(int percent) => percent switch
    {
        100 => "completed",
        > 0 => "in-progress",
        _ => "not-started",
    };
}
