using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsPortal.Jobs;

/// <summary>
/// host.json and every <c>&lt;FunctionName&gt;/function.json</c> in the app root: the single source of truth for
/// triggers, schedules and queue settings, read by the Functions host in Azure and by us in standalone mode.
/// </summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(string root, string executable, IReadOnlyList<FunctionDefinition> functions, QueueTriggerSettings queues)
    {
        Root = root;
        DefaultExecutablePath = executable;
        Functions = functions;
        QueueSettings = queues;
    }

    public string Root { get; }

    public string DefaultExecutablePath { get; }

    public IReadOnlyList<FunctionDefinition> Functions { get; }

    public QueueTriggerSettings QueueSettings { get; }

    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(function => string.Equals(function.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FunctionCatalog Load(string root)
    {
        var hostJsonPath = Path.Combine(root, "host.json");
        if (!File.Exists(hostJsonPath))
        {
            throw new FunctionCatalogException($"host.json was not found in {root}.");
        }

        var host = ParseObject(hostJsonPath);
        var executable = host["customHandler"]?["description"]?["defaultExecutablePath"]?.GetValue<string>()
                         ?? throw new FunctionCatalogException("host.json has no customHandler.description.defaultExecutablePath.");

        var functions = Directory.EnumerateDirectories(root)
            .Select(directory => Path.Combine(directory, "function.json"))
            .Where(File.Exists)
            .Select(ParseFunction)
            .OrderBy(function => function.Name, StringComparer.Ordinal)
            .ToList();

        return new FunctionCatalog(root, executable, functions, ParseQueueSettings(host["extensions"]?["queues"] as JsonObject));
    }

    private static FunctionDefinition ParseFunction(string path)
    {
        var name = Path.GetFileName(Path.GetDirectoryName(path))!;
        var json = ParseObject(path);
        if (json["bindings"] is not JsonArray bindings || bindings.Count == 0)
        {
            throw new FunctionCatalogException($"{name}/function.json has no bindings.");
        }

        var parsed = bindings.Select((node, index) =>
        {
            if (node is not JsonObject binding)
            {
                throw new FunctionCatalogException($"{name}/function.json binding {index} is not an object.");
            }

            return new FunctionBinding(
                binding["name"]?.GetValue<string>() ?? throw new FunctionCatalogException($"{name}/function.json binding {index} has no name."),
                binding["type"]?.GetValue<string>() ?? throw new FunctionCatalogException($"{name}/function.json binding {index} has no type."),
                binding["direction"]?.GetValue<string>() ?? throw new FunctionCatalogException($"{name}/function.json binding {index} has no direction."),
                binding);
        }).ToList();

        var triggers = parsed.Count(binding => binding.IsInput && binding.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
        return triggers == 1
            ? new FunctionDefinition(name, parsed)
            : throw new FunctionCatalogException($"{name}/function.json must have exactly one trigger binding; it has {triggers}.");
    }

    private static QueueTriggerSettings ParseQueueSettings(JsonObject? queues)
    {
        var defaults = QueueTriggerSettings.Defaults;
        if (queues is null)
        {
            return defaults;
        }

        return new QueueTriggerSettings(
            queues["maxDequeueCount"]?.GetValue<int>() ?? defaults.MaxDequeueCount,
            ParseTimeSpan(queues["visibilityTimeout"]) ?? defaults.VisibilityTimeout,
            queues["batchSize"]?.GetValue<int>() ?? defaults.BatchSize,
            ParseTimeSpan(queues["maxPollingInterval"]) ?? defaults.MaxPollingInterval);
    }

    private static TimeSpan? ParseTimeSpan(JsonNode? node) =>
        node is null ? null : TimeSpan.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture);

    private static JsonObject ParseObject(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                   ?? throw new FunctionCatalogException($"{path} is not a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new FunctionCatalogException($"{path} is not valid JSON: {exception.Message}");
        }
    }
}

public sealed class FunctionCatalogException(string message) : Exception(message);
