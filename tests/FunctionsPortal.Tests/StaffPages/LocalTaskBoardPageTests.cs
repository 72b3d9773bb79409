using System.Net;
using FunctionsPortal.Auth;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.CorrectiveActions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Graph;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.StaffPages;

/// <summary>
/// The local task list behaves like Planner: the outbox creates the task with its details, a staff member moves it on
/// /staff/actions/tasks as they would in Planner, the sync timer reports it and reopens it when asked, and completing
/// the action completes it once.
/// </summary>
public sealed class LocalTaskBoardPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Page = "/staff/actions/tasks";

    private readonly RecordingActionTaskEvents _events = new();
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ActionTasks Tasks => _app.Services.GetRequiredService<ActionTasks>();

    private LocalTaskBoard Board => _app.Services.GetRequiredService<LocalTaskBoard>();

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite, configureServices: CorrectiveActionTasksFeatureTests.Wire(_events));
        await _app.Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task SyncAsync() =>
        Assert.True((await _app.Services.GetRequiredService<FunctionInvoker>().InvokeAsync(SyncPlannerTasksJob.FunctionName, Guid.NewGuid().ToString(), InvocationPayload.Empty, "timer", Token)).Succeeded);

    private static async Task<string> SetProgressAsync(HttpClient staff, string taskId, string progress)
    {
        using var response = await PostFormAsync(staff, Page, $"{Page}/{Uri.EscapeDataString(taskId)}/progress", [("progress", progress)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Token);
    }

    [Fact]
    public async Task ATaskIsCreatedMovedOnByStaffReportedAndCompletedOnce()
    {
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer);

        var opened = await Tasks.OpenAsync(GraphPlannerTaskBoardTests.Request("local-1"), Token);
        var again = await Tasks.OpenAsync(GraphPlannerTaskBoardTests.Request("local-1"), Token);
        var listed = await PageAsync(staff, Page);
        var moved = await SetProgressAsync(staff, opened.TaskId!, "in-progress");
        await SyncAsync();
        var completed = await Tasks.CompleteAsync("local-1", Token);
        var completedTwice = await Tasks.CompleteAsync("local-1", Token);

        Assert.Equal("local", opened.Board);
        Assert.Equal(ActionTaskStates.Detailed, opened.State);
        Assert.Equal(opened.TaskId, again.TaskId);
        var task = Assert.Single(await Board.ListAllAsync(Token));
        Assert.Equal(opened.TaskId, task.Task.Id);
        Assert.Equal(["研修を実施する / Hold the training", "証跡を提出する / Submit the evidence"], task.Checklist);
        Assert.Equal([("local-1", opened.TaskId!)], _events.Created);
        Assert.Contains("ローカルのタスクリスト", listed, StringComparison.Ordinal);
        Assert.Contains("[CA-local-1]", listed, StringComparison.Ordinal);
        Assert.Contains("研修を実施する", listed, StringComparison.Ordinal);
        Assert.Contains("タスクの進捗を変更しました", moved, StringComparison.Ordinal);
        var observed = Assert.Single(_events.Observed);
        Assert.Equal((opened.TaskId, 50, new DateOnly(2027, 1, 15)), (observed.TaskId, observed.PercentComplete, observed.DueOn));
        Assert.Equal(["6f0c1e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f"], observed.AssigneeIds);
        Assert.Equal(ActionTaskStates.Completed, completed!.State);
        Assert.Equal(completed, completedTwice);
        Assert.Equal(100, (await Board.GetTaskAsync(opened.TaskId!, Token)).Value!.PercentComplete);
    }

    [Fact]
    public async Task ATaskCompletedByStaffWithoutEvidenceIsReopenedByTheSync()
    {
        using var staff = _app.CreateStaffClient(StaffRoles.Reviewer);
        var opened = await Tasks.OpenAsync(GraphPlannerTaskBoardTests.Request("local-2"), Token);
        _events.ReopenWhenCompleted["local-2"] = true;

        await SetProgressAsync(staff, opened.TaskId!, "completed");
        await SyncAsync();
        await SyncAsync();
        var page = await PageAsync(staff, Page);

        Assert.Equal([100, 50], _events.Observed.Select(snapshot => snapshot.PercentComplete));
        Assert.Equal(50, (await Board.GetTaskAsync(opened.TaskId!, Token)).Value!.PercentComplete);
        Assert.Contains("<option value=\"in-progress\" selected", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaleETagIsAConflictOnTheLocalBoardToo()
    {
        var task = (await Board.CreateAsync(GraphPlannerTaskBoardTests.Request("local-3"), Token)).Value!;
        await Board.SetProgressAsStaffAsync(task.Id, 50, Token);

        var stale = await Board.SetProgressAsync(task.Id, task.ETag, 100, Token);
        var staleDetails = await Board.UpdateDetailsAsync(task.Id, task.ETag, "x", [], Token);

        Assert.Equal(TaskBoardOutcome.Conflict, stale.Outcome);
        Assert.Equal(TaskBoardOutcome.Conflict, staleDetails.Outcome);
        Assert.Equal(TaskBoardOutcome.NotFound, (await Board.GetDetailsAsync("local-missing", Token)).Outcome);
    }

    [Fact]
    public async Task ThePageIsForSignedInStaffOnly()
    {
        using var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await anonymous.GetAsync(Page, Token);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
