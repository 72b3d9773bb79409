using Azure.Core;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Graph;
using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Tests.Graph;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.CorrectiveActions;

/// <summary>
/// The task side wired into the whole app (as AddCorrectiveActions will): Planner only when both ids are set, the
/// local task list otherwise, one id without the other refused at start-up, and the SyncPlannerTasks timer driving
/// deferred rows and the sync.
/// </summary>
public sealed class CorrectiveActionTasksFeatureTests(AzuriteFixture azurite)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal static Action<IServiceCollection> Wire(RecordingActionTaskEvents events) => services =>
    {
        services.AddCorrectiveActionTasks();
        services.AddSingleton<IActionTaskEvents>(events);
    };

    [Theory]
    [InlineData("Graph:PlannerPlanId", "Graph:PlannerBucketId is not")]
    [InlineData("Graph:PlannerBucketId", "Graph:PlannerPlanId is not")]
    public void OnePlannerIdWithoutTheOtherFailsStartUp(string setting, string message)
    {
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { [setting] = "abc123" }, configureServices: Wire(new())));

        Assert.Contains(message, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void APlannerBaseUrlInClearTextToAnotherHostFailsStartUp()
    {
        var failure = StartupFailure.Of(() => new PortalApplication(azurite, settings: new Dictionary<string, string?> { ["GraphPlanner:BaseUrl"] = "http://graph.example.com/v1.0" }, configureServices: Wire(new())));

        Assert.Contains("GraphPlanner:BaseUrl must be an absolute https URL", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutPlannerTheLocalTaskListIsTheBoard()
    {
        await using var app = new PortalApplication(azurite, configureServices: Wire(new()));

        Assert.IsType<LocalTaskBoard>(app.Services.GetRequiredService<ITaskBoard>());
    }

    [Fact]
    public async Task WithPlannerTheTimerDrivesDeferredRowsAndSyncsTheBoard()
    {
        await using var planner = await PlannerFake.StartAsync(Token);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        var events = new RecordingActionTaskEvents();
        await using var app = new PortalApplication(
            azurite,
            settings: new Dictionary<string, string?>
            {
                ["Graph:PlannerPlanId"] = "plan-ca",
                ["Graph:PlannerBucketId"] = "bucket-ca",
                ["GraphPlanner:BaseUrl"] = planner.BaseUrl.ToString(),
            },
            configureServices: services =>
            {
                Wire(events)(services);
                services.AddSingleton<TokenCredential>(new GraphFakeCredential());
            },
            timeProvider: clock);
        await app.Services.WhenStorageReadyAsync();
        var tasks = app.Services.GetRequiredService<ActionTasks>();
        var invoker = app.Services.GetRequiredService<FunctionInvoker>();
        planner.ThrottleNext(1, TimeSpan.FromSeconds(30), PlannerFakeEndpoint.CreateTask);

        var deferred = await tasks.OpenAsync(GraphPlannerTaskBoardTests.Request("timer-1"), Token);
        clock.Advance(TimeSpan.FromMinutes(15));
        var first = await invoker.InvokeAsync(SyncPlannerTasksJob.FunctionName, "run-1", InvocationPayload.Empty, "timer", Token);
        // Two instances fire the same tick: nothing is created twice.
        var again = await Task.WhenAll(
            invoker.InvokeAsync(SyncPlannerTasksJob.FunctionName, "run-2a", InvocationPayload.Empty, "timer", Token),
            invoker.InvokeAsync(SyncPlannerTasksJob.FunctionName, "run-2b", InvocationPayload.Empty, "timer", Token));

        Assert.IsType<GraphPlannerTaskBoard>(app.Services.GetRequiredService<ITaskBoard>());
        Assert.Equal(ActionTaskStates.Pending, deferred.State);
        Assert.True(first.Succeeded);
        Assert.All(again, outcome => Assert.True(outcome.Succeeded));
        var task = Assert.Single(planner.Tasks);
        Assert.Equal(2, planner.Count(PlannerFakeEndpoint.CreateTask)); // one throttled, one created
        Assert.Equal(ActionTaskStates.Detailed, (await tasks.StatusAsync("timer-1", Token))!.State);
        Assert.Equal(3, events.Observed.Count(snapshot => snapshot.TaskId == task.Id));
    }
}
