using System.Text.Json.Nodes;
using FunctionsPortal.Jobs;
using FunctionsPortal.Operations;
using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Jobs;

/// <summary>The app's real host.json and function.json files, as the Functions host will read them.</summary>
public sealed class FunctionCatalogTests
{
    private static readonly FunctionCatalog App = FunctionCatalog.Load(AppContext.BaseDirectory);

    [Fact]
    public void HostJsonDeclaresTheCustomHandlerAsTheBriefRequires()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!;

        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("FunctionsPortal", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host["extensionBundle"]!["id"]!.GetValue<string>());
        Assert.Equal("[4.*, 5.0.0)", host["extensionBundle"]!["version"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
    }

    [Fact]
    public void TheExecutableHostJsonNamesIsTheAppsAssembly()
    {
        Assert.Equal(typeof(PoisonQueueMonitor).Assembly.GetName().Name, App.DefaultExecutablePath);
    }

    [Fact]
    public void PoisonQueueMonitorIsATimerOnAFiveMinuteUtcSchedule()
    {
        var function = App.Find(PoisonQueueMonitor.FunctionName);

        Assert.NotNull(function);
        Assert.Equal(TriggerKind.Timer, function.Kind);
        Assert.Equal("0 */5 * * * *", function.Trigger.GetString("schedule"));
        Assert.False(function.Trigger.GetBoolean("runOnStartup", true));
    }

    [Fact]
    public void QueueSettingsComeFromHostJson()
    {
        Assert.Equal(new QueueTriggerSettings(5, TimeSpan.FromSeconds(30), 16, TimeSpan.FromSeconds(10)), App.QueueSettings);
    }

    [Fact]
    public void EveryHttpFunctionHasAnExplicitRoutePrefixThatCannotReachAFunctionInvocationPath()
    {
        var http = App.Functions.Where(function => function.Kind == TriggerKind.Http).ToList();
        var invocationPaths = App.Functions.Where(function => function.Kind != TriggerKind.Http).Select(function => function.Name).ToList();

        Assert.NotEmpty(http);
        Assert.NotEmpty(invocationPaths);
        foreach (var function in http)
        {
            var route = function.Trigger.GetString("route");
            Assert.False(string.IsNullOrWhiteSpace(route), $"{function.Name} has no route");
            var firstSegment = route.Split('/')[0];
            Assert.False(firstSegment.StartsWith('{'), $"{function.Name}'s route '{route}' starts with a parameter");
            // The host posts timer/queue invocations to /<FunctionName>: no public route may match such a path.
            Assert.DoesNotContain(invocationPaths, name => string.Equals(name, firstSegment, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void TheBuildOutputIsLaidOutLikeThePackage()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var sourceFunctions = Directory.EnumerateDirectories(Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal", "Functions")).Select(directory => Path.GetFileName(directory)!).Order().ToList();
        Assert.Equal(sourceFunctions, App.Functions.Select(function => function.Name).Order().ToList());
    }

    [Fact]
    public void AFunctionJsonWithoutATriggerIsRefused()
    {
        using var root = TestAppRoot.CopyOfApp().AddFunction("Broken", """{ "bindings": [ { "name": "x", "type": "queue", "direction": "out" } ] }""");

        var error = Assert.Throws<FunctionCatalogException>(() => FunctionCatalog.Load(root.Path));

        Assert.Contains("Broken", error.Message, StringComparison.Ordinal);
    }
}
