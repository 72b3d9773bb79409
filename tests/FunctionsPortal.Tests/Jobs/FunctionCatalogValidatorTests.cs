using FunctionsPortal.Jobs;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>A function.json and the registered jobs must agree, or the app refuses to start and says why.</summary>
public sealed class FunctionCatalogValidatorTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TestAppRoot _root = TestAppRoot.CopyOfApp();
    private readonly InvocationRecorder _recorder = new();

    private string StartFailure(Action<IServiceCollection>? jobs = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Jobs:AppRoot"] = _root.Path };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return StartupFailure.Of(() => new PortalApplication(azurite, settings: all, configureServices: services =>
        {
            services.AddSingleton(_recorder);
            jobs?.Invoke(services);
        }));
    }

    [Fact]
    public void AJobWithoutAFunctionJsonStopsTheStart()
    {
        var message = StartFailure(jobs: services => services.AddFunctionJob<RecordingJob>("Ghost"));

        Assert.Contains("Ghost/function.json does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATimerWithoutAJobStopsTheStart()
    {
        _root.AddTimer("Orphan", "0 0 * * * *");

        Assert.Contains("Orphan/function.json has a timerTrigger but no job", StartFailure(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutputBindingStopsTheStartBecauseStandaloneModeCouldNotHonourIt()
    {
        _root.AddFunction("WithOutput", """
            { "bindings": [ { "name": "timer", "type": "timerTrigger", "direction": "in", "schedule": "0 0 * * * *" },
                            { "name": "out", "type": "queue", "direction": "out", "queueName": "x" } ] }
            """);

        var message = StartFailure(jobs: services => services.AddFunctionJob<RecordingJob>("WithOutput"));

        Assert.Contains("output binding 'out' is not supported", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABareCatchAllHttpRouteStopsTheStart()
    {
        _root.AddFunction("Everything", """
            { "bindings": [ { "name": "req", "type": "httpTrigger", "direction": "in", "route": "{*path}" }, { "name": "res", "type": "http", "direction": "out" } ] }
            """);

        Assert.Contains("explicit route prefix", StartFailure(), StringComparison.Ordinal);
    }

    [Fact]
    public void AScheduleReferencingAMissingAppSettingStopsTheStart()
    {
        _root.AddTimer("Configured", "%MISSING_SCHEDULE%");

        var message = StartFailure(jobs: services => services.AddFunctionJob<RecordingJob>("Configured"));

        Assert.Contains("MISSING_SCHEDULE", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResourcePrefixUnderTheFunctionsHostWithQueueTriggersStopsTheStart()
    {
        _root.AddQueue("Work", "work");

        var message = StartFailure(
            jobs: services => services.AddFunctionJob<RecordingJob>("Work"),
            settings: new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7071", ["Secrets:VaultUri"] = "https://kv-test.vault.azure.net/" });

        Assert.Contains("Storage:ResourcePrefix must be empty under the Functions host", message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _root.Dispose();
        _recorder.Dispose();
    }
}
