using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>Standalone mode: timers run on the schedule in their own function.json, on the injected clock.</summary>
public sealed class TimerSchedulerTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly InvocationRecorder _recorder = new();
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp();

    private PortalApplication Standalone(FakeTimeProvider clock, Action<IServiceCollection> jobs) => new(
        azurite,
        settings: new Dictionary<string, string?> { ["Jobs:RunInProcess"] = "true", ["Jobs:AppRoot"] = _root.Path, ["EVERY_TEN_SECONDS"] = "*/10 * * * * *" },
        configureServices: services =>
        {
            services.AddSingleton(_recorder);
            jobs(services);
        },
        timeProvider: clock);

    [Fact]
    public async Task TimerRunsAtEachOccurrenceOfItsScheduleWithTheHostsTimerInfo()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _root.AddTimer("TickTimer", "%EVERY_TEN_SECONDS%");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 5, 0, 1, TimeSpan.Zero));
        await using var app = Standalone(clock, services => services.AddFunctionJob<RecordingJob>("TickTimer"));
        _ = app.Services; // starts the host and its scheduler

        await AdvanceUntilTwoRunsAsync(clock, cancellationToken);

        var first = _recorder.Invocations.First();
        Assert.Equal("TickTimer", first.FunctionName);
        var timer = first.Payload.Data["timer"];
        Assert.True(timer.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 5, 0, 20, TimeSpan.Zero), timer.GetProperty("ScheduleStatus").GetProperty("Next").GetDateTimeOffset());
        Assert.Equal("TickTimer", first.Payload.Metadata["sys"].GetProperty("MethodName").GetString());
        Assert.True(clock.GetUtcNow() >= new DateTimeOffset(2026, 11, 24, 5, 0, 20, TimeSpan.Zero));
    }

    [Fact]
    public async Task RunOnStartupRunsOnceImmediately()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _root.AddTimer("StartupTimer", "0 0 0 1 1 *", runOnStartup: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero));
        await using var app = Standalone(clock, services => services.AddFunctionJob<RecordingJob>("StartupTimer"));
        _ = app.Services;

        await _recorder.WaitForAsync(1, Wait, cancellationToken);

        Assert.Single(_recorder.Invocations);
    }

    [Fact]
    public async Task AFailedRunIsNotRetriedButTheNextOccurrenceStillRuns()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _root.AddTimer("FlakyTimer", "%EVERY_TEN_SECONDS%");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 5, 0, 1, TimeSpan.Zero));
        await using var app = Standalone(clock, services => services.AddFunctionJob<FailingJob>("FlakyTimer"));
        _ = app.Services;

        await AdvanceUntilTwoRunsAsync(clock, cancellationToken);

        var runs = _recorder.Invocations.Select(invocation => invocation.Payload.Metadata["sys"].GetProperty("UtcNow").GetDateTimeOffset()).ToList();
        Assert.True(runs[1] - runs[0] >= TimeSpan.FromSeconds(10), "the second run waits for the next occurrence");
    }

    /// <summary>Moves the fake clock a second at a time, giving the scheduler real time to react, until it has run the timer twice.</summary>
    private Task AdvanceUntilTwoRunsAsync(FakeTimeProvider clock, CancellationToken cancellationToken) => Eventually.UntilAsync(
        () =>
        {
            if (_recorder.Invocations.Count >= 2)
            {
                return true;
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            return false;
        },
        () => $"the scheduler to run the timer twice (ran it {_recorder.Invocations.Count} times; fake clock at {clock.GetUtcNow():O})",
        Wait, TimeSpan.FromMilliseconds(20), cancellationToken);

    public void Dispose()
    {
        _root.Dispose();
        _recorder.Dispose();
    }
}
