using System.Text.Json;

namespace FunctionsPortal.Jobs;

/// <summary>One invocation: the host's <c>{Data, Metadata}</c>, with values already unwrapped, plus the log lines returned to the host.</summary>
public sealed class FunctionInvocation(string functionName, string invocationId, InvocationPayload payload)
{
    private readonly List<string> _logs = [];

    public string FunctionName { get; } = functionName;

    public string InvocationId { get; } = invocationId;

    public InvocationPayload Payload { get; } = payload;

    /// <summary>Lines returned to the host in <c>Logs</c> (they appear in the invocation log in Azure).</summary>
    public IReadOnlyList<string> Logs => _logs;

    /// <summary>Returned to the host as <c>ReturnValue</c>.</summary>
    public object? ReturnValue { get; set; }

    public void Log(string line) => _logs.Add(line);

    /// <summary>The trigger or input value bound under <paramref name="bindingName"/>, deserialized.</summary>
    public T GetData<T>(string bindingName, JsonSerializerOptions? options = null)
    {
        if (!Payload.Data.TryGetValue(bindingName, out var value))
        {
            throw new InvalidInvocationException($"The invocation of {FunctionName} has no Data.{bindingName}.");
        }

        try
        {
            return value.Deserialize<T>(options ?? JsonSerializerOptions.Web)
                   ?? throw new InvalidInvocationException($"Data.{bindingName} of {FunctionName} is null.");
        }
        catch (JsonException exception)
        {
            throw new InvalidInvocationException($"Data.{bindingName} of {FunctionName} is not a {typeof(T).Name}: {exception.Message}");
        }
    }
}
