using System.Text.Json.Serialization;

namespace FunctionsPortal.Jobs;

/// <summary>The custom-handler response the Functions host expects, in its own PascalCase.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);
