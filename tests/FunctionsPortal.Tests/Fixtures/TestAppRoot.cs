namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// A temporary app root: a copy of the real host.json and function folders plus test-only functions, so tests
/// can add timer and queue functions (and tune host.json) without touching the app.
/// </summary>
public sealed class TestAppRoot : IDisposable
{
    private TestAppRoot(string path) => Path = path;

    public string Path { get; }

    public static TestAppRoot CopyOfApp(Action<System.Text.Json.Nodes.JsonObject>? editHostJson = null)
    {
        var root = new TestAppRoot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fp-approot-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(root.Path);
        var source = AppContext.BaseDirectory;
        var hostJson = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(source, "host.json")))!.AsObject();
        editHostJson?.Invoke(hostJson);
        File.WriteAllText(System.IO.Path.Combine(root.Path, "host.json"), hostJson.ToJsonString());
        foreach (var functionJson in Directory.EnumerateDirectories(source).Select(directory => System.IO.Path.Combine(directory, "function.json")).Where(File.Exists))
        {
            var name = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(functionJson))!;
            root.AddFunction(name, File.ReadAllText(functionJson));
        }

        return root;
    }

    public TestAppRoot AddFunction(string name, string functionJson)
    {
        var directory = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(System.IO.Path.Combine(directory, "function.json"), functionJson);
        return this;
    }

    public TestAppRoot AddTimer(string name, string schedule, bool runOnStartup = false) => AddFunction(name, $$"""
        { "bindings": [ { "name": "timer", "type": "timerTrigger", "direction": "in", "schedule": "{{schedule}}", "runOnStartup": {{(runOnStartup ? "true" : "false")}} } ] }
        """);

    public TestAppRoot AddQueue(string name, string queueName) => AddFunction(name, $$"""
        { "bindings": [ { "name": "message", "type": "queueTrigger", "direction": "in", "queueName": "{{queueName}}", "connection": "Storage" } ] }
        """);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
