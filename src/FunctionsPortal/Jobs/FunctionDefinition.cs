using System.Text.Json.Nodes;

namespace FunctionsPortal.Jobs;

public enum TriggerKind
{
    Http,
    Timer,
    Queue,
    Other,
}

/// <summary>One <c>&lt;FunctionName&gt;/function.json</c>, as the Functions host reads it.</summary>
public sealed record FunctionDefinition(string Name, IReadOnlyList<FunctionBinding> Bindings)
{
    public FunctionBinding Trigger =>
        Bindings.SingleOrDefault(binding => binding.IsInput && binding.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"Function {Name} has no trigger binding in its function.json.");

    public TriggerKind Kind => Trigger.Type.ToUpperInvariant() switch
    {
        "HTTPTRIGGER" => TriggerKind.Http,
        "TIMERTRIGGER" => TriggerKind.Timer,
        "QUEUETRIGGER" => TriggerKind.Queue,
        _ => TriggerKind.Other,
    };
}

public sealed record FunctionBinding(string Name, string Type, string Direction, JsonObject Properties)
{
    public bool IsInput => string.Equals(Direction, "in", StringComparison.OrdinalIgnoreCase);

    public string? GetString(string property) =>
        Properties.TryGetPropertyValue(property, out var value) && value is JsonValue json && json.TryGetValue<string>(out var text) ? text : null;

    public bool GetBoolean(string property, bool defaultValue) =>
        Properties.TryGetPropertyValue(property, out var value) && value is JsonValue json && json.TryGetValue<bool>(out var flag) ? flag : defaultValue;
}
