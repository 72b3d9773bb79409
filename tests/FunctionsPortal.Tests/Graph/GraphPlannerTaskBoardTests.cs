using System.Net;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Graph;
using FunctionsPortal.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Tests.Graph;

/// <summary>The Planner board over the Graph SDK, against a loopback Planner: what lands on the task, ETags, and every failure as a typed outcome.</summary>
public sealed class GraphPlannerTaskBoardTests : IAsyncLifetime
{
    private const string Plan = "plan-ca";
    private const string Bucket = "bucket-ca";
    private const string Owner = "6f0c1e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f";

    private readonly FakeLogger<GraphPlannerTaskBoard> _logger = new();
    private PlannerFake _planner = null!;
    private GraphPlannerTaskBoard _board = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _planner = await PlannerFake.StartAsync(Token);
        _board = Board(_planner.BaseUrl, _logger);
    }

    public async ValueTask DisposeAsync()
    {
        _board.Dispose();
        await _planner.DisposeAsync();
    }

    internal static GraphPlannerTaskBoard Board(Uri baseUrl, ILogger<GraphPlannerTaskBoard> logger, TimeProvider? clock = null) => new(
        Options.Create(new GraphPlannerOptions { BaseUrl = baseUrl }),
        Options.Create(new GraphMailOptions()),
        Options.Create(new GraphOptions { PlannerPlanId = Plan, PlannerBucketId = Bucket }),
        new GraphFakeCredential(),
        clock ?? TimeProvider.System,
        logger);

    internal static ActionTaskRequest Request(string actionId, string? assignee = Owner) => new(
        actionId, $"{ActionTaskRequest.Marker(actionId)} 是正: 暗号化", "Vendor: 株式会社サンプル\nItem: 1.2 encryption\nFinding: ×", new DateOnly(2027, 1, 15), assignee, 1,
        ["研修を実施する / Hold the training", "証跡を提出する / Submit the evidence"]);

    [Fact]
    public async Task ACreatedTaskCarriesPlanBucketTitleDueDatePriorityAndAssignee()
    {
        var created = await _board.CreateAsync(Request("a1"), Token);

        Assert.Equal(TaskBoardOutcome.Done, created.Outcome);
        var task = Assert.Single(_planner.Tasks);
        Assert.Equal(created.Value!.Id, task.Id);
        Assert.Equal((Plan, Bucket), (task.PlanId, task.BucketId));
        Assert.StartsWith("[CA-a1] ", task.Title, StringComparison.Ordinal);
        Assert.Equal(1, task.Priority);
        Assert.Equal([Owner], task.AssigneeIds);
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 12, 0, 0, TimeSpan.Zero), task.DueDateTime);
        // What the board reads back is what Planner holds, ETag included.
        Assert.Equal(task.ETag, created.Value.ETag);
        Assert.Equal(new DateOnly(2027, 1, 15), created.Value.DueOn);
        Assert.Equal([Owner], created.Value.AssigneeIds);
        Assert.Equal("a1", created.Value.ActionId);
        Assert.All(_planner.Requests, request => Assert.Equal($"Bearer {GraphFakeCredential.DefaultToken}", request.Authorization));
    }

    [Fact]
    public async Task DetailsAreWrittenWithIfMatchAndAStaleETagIsAConflict()
    {
        var task = (await _board.CreateAsync(Request("a2"), Token)).Value!;
        var details = (await _board.GetDetailsAsync(task.Id, Token)).Value!;
        _planner.EditBeforeNext(1, PlannerFakeEndpoint.PatchDetails);

        var stale = await _board.UpdateDetailsAsync(task.Id, details.ETag, "desc", ["one", "two"], Token);
        var fresh = (await _board.GetDetailsAsync(task.Id, Token)).Value!;
        var written = await _board.UpdateDetailsAsync(task.Id, fresh.ETag, "desc", ["one", "two"], Token);
        var again = (await _board.GetDetailsAsync(task.Id, Token)).Value!;
        var rewritten = await _board.UpdateDetailsAsync(task.Id, again.ETag, "desc", ["one", "two"], Token);

        Assert.Equal(TaskBoardOutcome.Conflict, stale.Outcome);
        Assert.Equal(TaskBoardOutcome.Done, written.Outcome);
        Assert.Equal(TaskBoardOutcome.Done, rewritten.Outcome);
        var patches = _planner.Requests.Where(request => request.Endpoint == PlannerFakeEndpoint.PatchDetails).ToList();
        Assert.Equal([details.ETag, fresh.ETag, again.ETag], patches.Select(patch => patch.IfMatch));
        Assert.Equal([HttpStatusCode.PreconditionFailed, HttpStatusCode.NoContent, HttpStatusCode.NoContent], patches.Select(patch => patch.Status));
        var stored = Assert.Single(_planner.Tasks);
        Assert.Equal("desc", stored.Description);
        // Writing the same checklist twice sets the same items (stable keys), never copies.
        Assert.Equal(["one", "two"], stored.Checklist);
        Assert.Equal(["one", "two"], again.Checklist);
    }

    [Fact]
    public async Task ProgressIsSetWithIfMatchAndReadBack()
    {
        var task = (await _board.CreateAsync(Request("a3"), Token)).Value!;

        var completed = await _board.SetProgressAsync(task.Id, task.ETag, 100, Token);
        var stale = await _board.SetProgressAsync(task.Id, task.ETag, 50, Token);
        var read = (await _board.GetTaskAsync(task.Id, Token)).Value!;

        Assert.Equal(TaskBoardOutcome.Done, completed.Outcome);
        Assert.Equal(TaskBoardOutcome.Conflict, stale.Outcome);
        Assert.Equal(100, read.PercentComplete);
        Assert.NotNull(read.CompletedAt);
        Assert.Equal(task.ETag, _planner.Requests.First(request => request.Endpoint == PlannerFakeEndpoint.PatchTask).IfMatch);
    }

    [Fact]
    public async Task ThrottlingIsRetryLaterWithTheServersDelayAndIsNotReplayed()
    {
        // Short enough that the SDK's default retry handler would wait it out and create the task, failing this test.
        _planner.ThrottleNext(1, TimeSpan.FromSeconds(2), PlannerFakeEndpoint.CreateTask);

        var created = await _board.CreateAsync(Request("a4"), Token);

        Assert.Equal(TaskBoardOutcome.RetryLater, created.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), created.RetryAfter);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
        Assert.Empty(_planner.Tasks);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task UnavailablePlannerIsRetryLaterAndIsNotReplayed(HttpStatusCode status)
    {
        _planner.FailNext(1, status, PlannerFakeEndpoint.CreateTask);

        var created = await _board.CreateAsync(Request("a5"), Token);

        Assert.Equal(TaskBoardOutcome.RetryLater, created.Outcome);
        Assert.Equal(1, _planner.Count(PlannerFakeEndpoint.CreateTask));
    }

    [Fact]
    public async Task ALostResponseIsRetryLaterThoughTheTaskExists()
    {
        _planner.LoseNextResponses(1, PlannerFakeEndpoint.CreateTask);

        var created = await _board.CreateAsync(Request("a6"), Token);
        var found = await _board.FindByMarkerAsync("a6", Token);

        Assert.Equal(TaskBoardOutcome.RetryLater, created.Outcome);
        Assert.Equal(Assert.Single(_planner.Tasks).Id, found.Value!.Id);
    }

    [Fact]
    public async Task RefusedAccessNamesThePermissionToGrant()
    {
        _planner.FailNext(1, HttpStatusCode.Forbidden, PlannerFakeEndpoint.CreateTask, "Forbidden");

        var created = await _board.CreateAsync(Request("a7"), Token);

        Assert.Equal(TaskBoardOutcome.Refused, created.Outcome);
        Assert.Contains("Tasks.ReadWrite.All", created.Detail, StringComparison.Ordinal);
        Assert.Contains(_logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Error && record.Message.Contains("Tasks.ReadWrite.All", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheMarkerIsFoundAndThePlanListedAcrossPages()
    {
        for (var index = 0; index < 5; index++)
        {
            await _board.CreateAsync(Request($"p{index}"), Token);
        }

        await _board.CreateAsync(Request("x") with { Title = "Someone's own task" }, Token);

        var found = await _board.FindByMarkerAsync("p4", Token);
        var missing = await _board.FindByMarkerAsync("nope", Token);
        var listed = new List<BoardTask>();
        string? next = null;
        do
        {
            var page = (await _board.ListPageAsync(next, Token)).Value!;
            listed.AddRange(page.Tasks);
            next = page.Next;
        }
        while (next is not null);

        Assert.Equal("p4", found.Value!.ActionId);
        Assert.Equal(TaskBoardOutcome.Done, missing.Outcome);
        Assert.Null(missing.Value);
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], listed.Select(task => task.ActionId).Order(StringComparer.Ordinal));
        Assert.True(_planner.Count(PlannerFakeEndpoint.ListPlanTasks) >= 3);
    }

    [Fact]
    public async Task ACallThatOutlivesItsTimeoutIsRetryLaterWithAnUnknownOutcome()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var board = Board(_planner.BaseUrl, _logger, clock);
        _planner.Delay(PlannerFakeEndpoint.CreateTask, TimeSpan.FromMinutes(5));

        // The call's timeout runs on the injected clock: moving it past 30 s ends the call, whatever the wall clock says.
        var pending = board.CreateAsync(Request("slow"), Token);
        clock.Advance(TimeSpan.FromSeconds(31));
        var created = await pending;

        Assert.Equal(TaskBoardOutcome.RetryLater, created.Outcome);
        Assert.Contains("outcome is unknown", created.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingTaskIsNotFound()
    {
        var read = await _board.GetTaskAsync("no-such-task", Token);

        Assert.Equal(TaskBoardOutcome.NotFound, read.Outcome);
    }
}
