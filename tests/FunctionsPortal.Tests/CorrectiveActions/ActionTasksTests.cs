using System.Net;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Graph;
using FunctionsPortal.Storage;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Graph;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>
/// The task outbox against a loopback Planner and Azurite: exactly one task per action whatever Planner does (429,
/// 5xx, lost responses, 412, two workers, duplicate sync runs), the details written with If-Match, completion once,
/// and the sync mirroring the board into the actions. Deferred rows become due only when the fake clock moves.
/// </summary>
public sealed class ActionTasksTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
    private readonly RecordingActionTaskEvents _events = new();
    private readonly FakeLogger<ActionTasks> _logger = new();
    private PlannerFake _planner = null!;
    private GraphPlannerTaskBoard _board = null!;
    private PortalStorage _storage = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _planner = await PlannerFake.StartAsync(Token);
        _board = GraphPlannerTaskBoardTests.Board(_planner.BaseUrl, new FakeLogger<GraphPlannerTaskBoard>(), _clock);
        _storage = azurite.CreateStorage();
        await _storage.GetTable(ActionTasks.TableName).CreateIfNotExistsAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        _board.Dispose();
        await _planner.DisposeAsync();
    }

    /// <summary>One worker (a process, or a call): its own outbox over the same table and board.</summary>
    private ActionTasks Tasks() => new(_storage, _board, _events, Options.Create(new ActionTaskOptions()), _clock, _logger);

    private static ActionTaskRequest Request(string actionId) => GraphPlannerTaskBoardTests.Request(actionId);

    private async Task<int> SweepLaterAsync(TimeSpan after)
    {
        _clock.Advance(after);
        return await Tasks().DriveDueAsync(100, Token);
    }

    private PlannerFakeTask SingleTaskOf(string actionId) => Assert.Single(_planner.TasksTitled(ActionTaskRequest.Marker(actionId)));

    [Fact]
    public async Task OpeningCreatesOneTaskWithItsDetailsAndTellsTheActionsOnce()
    {
        var status = await Tasks().OpenAsync(Request("open-1"), Token);
        var again = await Tasks().OpenAsync(Request("open-1"), Token);

        var task = SingleTaskOf("open-1");
        Assert.Equal(ActionTaskStates.Detailed, status.State);
        Assert.Equal(task.Id, status.TaskId);
        Assert.Equal(status, again);
        Assert.Null(status.RetryAt);
        Assert.Equal([("open-1", task.Id)], _events.Created);
        Assert.Equal("Vendor: 株式会社サンプル\nItem: 1.2 encryption\nFinding: ×", task.Description);
        Assert.Equal(["研修を実施する / Hold the training", "証跡を提出する / Submit the evidence"], task.Checklist);
        Assert.Equal(1, task.Priority);
        Assert.Equal(["6f0c1e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f"], task.AssigneeIds);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
        var patch = Assert.Single(_planner.Requests, request => request.Endpoint == PlannerFakeEndpoint.PatchDetails);
        Assert.False(string.IsNullOrEmpty(patch.IfMatch));
    }

    [Fact]
    public async Task AThrottledCreateWaitsForRetryAfterAndStillMakesOneTask()
    {
        _planner.ThrottleNext(2, TimeSpan.FromSeconds(30), PlannerFakeEndpoint.CreateTask);
        var openedAt = _clock.GetUtcNow();

        var first = await Tasks().OpenAsync(Request("throttled"), Token);
        var tooEarly = await SweepLaterAsync(TimeSpan.FromSeconds(10));
        var second = await SweepLaterAsync(TimeSpan.FromSeconds(60));
        var third = await SweepLaterAsync(TimeSpan.FromSeconds(60));
        var status = await Tasks().StatusAsync("throttled", Token);

        Assert.Equal(ActionTaskStates.Pending, first.State);
        Assert.True(first.RetryAt >= openedAt + TimeSpan.FromSeconds(30), "Retry-After is honoured");
        Assert.Equal(0, tooEarly);
        Assert.Equal((1, 1), (second, third));
        Assert.Equal(ActionTaskStates.Detailed, status!.State);
        SingleTaskOf("throttled");
        Assert.Single(_events.Created);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task ServerErrorsDeferTheRowAndStillMakeOneTask(HttpStatusCode status)
    {
        _planner.FailNext(1, status, PlannerFakeEndpoint.CreateTask);
        _planner.FailNext(1, status, PlannerFakeEndpoint.GetDetails);

        var first = await Tasks().OpenAsync(Request("unavailable"), Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        var afterCreate = await Tasks().StatusAsync("unavailable", Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        var done = await Tasks().StatusAsync("unavailable", Token);

        Assert.Equal(ActionTaskStates.Pending, first.State);
        Assert.NotNull(first.Problem);
        Assert.Equal(ActionTaskStates.Created, afterCreate!.State);
        Assert.Equal(ActionTaskStates.Detailed, done!.State);
        Assert.Null(done.Problem);
        Assert.Equal(2, _planner.Count(PlannerFakeEndpoint.CreateTask)); // the failed one and the one that made the task
        Assert.NotEmpty(SingleTaskOf("unavailable").Checklist);
        Assert.Single(_events.Created);
    }

    [Fact]
    public async Task ALostCreateResponseIsFoundByItsMarkerAndNeverCreatedAgain()
    {
        _planner.LoseNextResponses(1, PlannerFakeEndpoint.CreateTask);

        var first = await Tasks().OpenAsync(Request("lost"), Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        var status = await Tasks().StatusAsync("lost", Token);

        var task = SingleTaskOf("lost");
        Assert.Equal(ActionTaskStates.Pending, first.State);
        Assert.Equal(ActionTaskStates.Detailed, status!.State);
        Assert.Equal(task.Id, status.TaskId);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
        Assert.True(_planner.Count(PlannerFakeEndpoint.ListBucketTasks) >= 1);
        Assert.Equal([("lost", task.Id)], _events.Created);
        Assert.NotEmpty(task.Checklist);
    }

    [Fact]
    public async Task ALostResponseOfTheLookupItselfStillEndsWithOneTask()
    {
        _planner.LoseNextResponses(1, PlannerFakeEndpoint.CreateTask);
        _planner.FailNext(1, HttpStatusCode.BadGateway, PlannerFakeEndpoint.ListBucketTasks);

        await Tasks().OpenAsync(Request("lost-twice"), Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        await SweepLaterAsync(TimeSpan.FromMinutes(5));

        SingleTaskOf("lost-twice");
        Assert.Equal(ActionTaskStates.Detailed, (await Tasks().StatusAsync("lost-twice", Token))!.State);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
    }

    [Fact]
    public async Task DetailsChangedBySomeoneElseAreReadAgainAndWrittenWithTheNewETag()
    {
        _planner.EditBeforeNext(2, PlannerFakeEndpoint.PatchDetails);

        var status = await Tasks().OpenAsync(Request("conflict"), Token);

        var patches = _planner.Requests.Where(request => request.Endpoint == PlannerFakeEndpoint.PatchDetails).ToList();
        Assert.Equal(ActionTaskStates.Detailed, status.State);
        Assert.Equal([HttpStatusCode.PreconditionFailed, HttpStatusCode.PreconditionFailed, HttpStatusCode.NoContent], patches.Select(patch => patch.Status));
        Assert.Equal(3, _planner.Count(PlannerFakeEndpoint.GetDetails));
        Assert.Equal(3, patches.Select(patch => patch.IfMatch).Distinct().Count());
        Assert.Equal("Vendor: 株式会社サンプル\nItem: 1.2 encryption\nFinding: ×", SingleTaskOf("conflict").Description);
    }

    [Fact]
    public async Task TwoWorkersDrivingTheSameActionAtOnceMakeOneTask()
    {
        // A slow create: a worker that did not respect the first one's lease would look the marker up before the task exists.
        _planner.Delay(PlannerFakeEndpoint.CreateTask, TimeSpan.FromMilliseconds(400));
        _planner.ResponseDelay = TimeSpan.FromMilliseconds(20);

        var results = await Task.WhenAll(
            Tasks().OpenAsync(Request("race"), Token), Tasks().OpenAsync(Request("race"), Token), Tasks().OpenAsync(Request("race"), Token));
        _planner.ResponseDelay = TimeSpan.Zero;
        // Whoever lost the race left the row to the winner, who finished it.
        var status = await Tasks().StatusAsync("race", Token);

        Assert.Contains(results, result => result.State == ActionTaskStates.Detailed);
        Assert.Equal(ActionTaskStates.Detailed, status!.State);
        SingleTaskOf("race");
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
        Assert.Single(_events.Created);
    }

    [Fact]
    public async Task CompletionIsAppliedOnceEvenWhenItsAnswerIsLost()
    {
        await Tasks().OpenAsync(Request("complete"), Token);
        _planner.LoseNextResponses(1, PlannerFakeEndpoint.PatchTask);

        var first = await Tasks().CompleteAsync("complete", Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        var second = await Tasks().CompleteAsync("complete", Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(30));

        Assert.Equal(ActionTaskStates.Detailed, first!.State);
        Assert.True(first.CompletionRequested);
        Assert.Equal(ActionTaskStates.Completed, second!.State);
        Assert.Equal(100, SingleTaskOf("complete").PercentComplete);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.PatchTask));
        Assert.Null(await Tasks().CompleteAsync("never-opened", Token));
    }

    [Fact]
    public async Task ACompletionAskedForBeforeTheTaskExistsIsAppliedWhenItDoes()
    {
        _planner.ThrottleNext(1, TimeSpan.FromSeconds(20), PlannerFakeEndpoint.CreateTask);
        await Tasks().OpenAsync(Request("early"), Token);

        var asked = await Tasks().CompleteAsync("early", Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));
        var status = await Tasks().StatusAsync("early", Token);

        Assert.Equal(ActionTaskStates.Pending, asked!.State);
        Assert.NotNull(asked.RetryAt); // the board's Retry-After still holds
        Assert.Equal(ActionTaskStates.Completed, status!.State);
        var task = SingleTaskOf("early");
        Assert.Equal(100, task.PercentComplete);
        Assert.NotEmpty(task.Checklist);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.PatchTask));
    }

    [Fact]
    public async Task SyncMirrorsProgressAssigneeAndDueDateAndReopensWhenTheActionsAsk()
    {
        var kept = await Tasks().OpenAsync(Request("sync-kept"), Token);
        var reopened = await Tasks().OpenAsync(Request("sync-reopen"), Token);
        _events.ReopenWhenCompleted["sync-reopen"] = true;
        // People in Planner: one moves a task on and reassigns it (due date set to 1 Feb in Japan), one completes a task.
        _planner.Edit(kept.TaskId!, percentComplete: 50, assigneeId: "b7d0aa11-0000-4000-8000-000000000002", dueDateTime: new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.FromHours(9)));
        _planner.Edit(reopened.TaskId!, percentComplete: 100);

        var report = await Tasks().SyncAsync(Token);

        Assert.Equal(new TaskSyncReport(2, 1, true), report);
        var keptSnapshot = Assert.Single(_events.Observed, snapshot => snapshot.ActionId == "sync-kept");
        Assert.Equal((kept.TaskId, 50, new DateOnly(2027, 2, 1)), (keptSnapshot.TaskId, keptSnapshot.PercentComplete, keptSnapshot.DueOn));
        Assert.Equal(["b7d0aa11-0000-4000-8000-000000000002"], keptSnapshot.AssigneeIds);
        var reopenSnapshot = Assert.Single(_events.Observed, snapshot => snapshot.ActionId == "sync-reopen");
        Assert.Equal(100, reopenSnapshot.PercentComplete);
        Assert.NotNull(reopenSnapshot.CompletedAt);
        Assert.Equal(50, SingleTaskOf("sync-reopen").PercentComplete);
        Assert.Equal(50, SingleTaskOf("sync-kept").PercentComplete);
    }

    [Fact]
    public async Task DuplicateSyncRunsReopenATaskOnceAndCreateNothing()
    {
        var opened = await Tasks().OpenAsync(Request("dup-sync"), Token);
        _events.ReopenWhenCompleted["dup-sync"] = true;
        _planner.Edit(opened.TaskId!, percentComplete: 100);
        _planner.ResponseDelay = TimeSpan.FromMilliseconds(100);

        var reports = await Task.WhenAll(Tasks().SyncAsync(Token), Tasks().SyncAsync(Token));

        Assert.Equal(1, reports.Sum(report => report.Reopened));
        var reopenWrites = _planner.Requests.Where(request => request.Endpoint == PlannerFakeEndpoint.PatchTask && request.Status == HttpStatusCode.NoContent).ToList();
        Assert.Single(reopenWrites);
        Assert.Equal(50, SingleTaskOf("dup-sync").PercentComplete);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
    }

    [Fact]
    public async Task ASyncStoppedByThrottlingSaysSoAndTheNextRunReadsEverything()
    {
        for (var index = 0; index < 5; index++)
        {
            await Tasks().OpenAsync(Request($"page-{index}"), Token);
        }

        _planner.ThrottleNext(1, TimeSpan.FromSeconds(5), PlannerFakeEndpoint.ListPlanTasks);
        var stopped = await Tasks().SyncAsync(Token);
        var full = await Tasks().SyncAsync(Token);

        Assert.False(stopped.Finished);
        Assert.Equal(new TaskSyncReport(5, 0, true), full);
    }

    [Fact]
    public async Task ARefusedRequestDefersTheRowAndSaysWhichPermissionIsMissing()
    {
        _planner.FailNext(1, HttpStatusCode.Forbidden, PlannerFakeEndpoint.CreateTask);

        var refused = await Tasks().OpenAsync(Request("refused"), Token);
        await SweepLaterAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ActionTaskStates.Pending, refused.State);
        Assert.Contains("Tasks.ReadWrite.All", refused.Problem, StringComparison.Ordinal);
        Assert.Equal(ActionTaskStates.Detailed, (await Tasks().StatusAsync("refused", Token))!.State);
        SingleTaskOf("refused");
    }
}
