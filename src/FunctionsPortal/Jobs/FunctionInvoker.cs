using System.Diagnostics;
using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Jobs;

/// <summary>
/// Runs a registered job for one invocation, in its own DI scope, with a log scope and a trace span carrying the
/// invocation id. Shared by the Functions-host endpoint and the standalone scheduler and poller.
/// </summary>
public sealed partial class FunctionInvoker(
    IServiceScopeFactory scopes,
    StorageReadiness storageReadiness,
    IEnumerable<FunctionJobRegistration> registrations,
    InvocationTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<FunctionInvoker> logger)
{
    /// <summary>An invocation that arrives before storage is ready waits this long, then fails so the host retries.</summary>
    private static readonly TimeSpan StorageWait = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, FunctionJobRegistration> _jobs =
        registrations.ToDictionary(registration => registration.FunctionName, StringComparer.OrdinalIgnoreCase);

    public bool IsRegistered(string functionName) => _jobs.ContainsKey(functionName);

    public IReadOnlyCollection<string> RegisteredFunctions => _jobs.Keys;

    public async Task<InvocationOutcome> InvokeAsync(string functionName, string invocationId, InvocationPayload payload, string trigger, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue(functionName, out var registration))
        {
            LogUnknown(functionName, invocationId);
            return new InvocationOutcome(InvocationStatus.UnknownFunction, null, $"No function named '{functionName}' is registered.");
        }

        var invocation = new FunctionInvocation(registration.FunctionName, invocationId, payload);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["FunctionName"] = registration.FunctionName,
            ["InvocationId"] = invocationId,
        });
        using var activity = PortalTelemetry.ActivitySource.StartActivity($"function {registration.FunctionName}", ActivityKind.Consumer);
        activity?.SetTag("faas.name", registration.FunctionName);
        activity?.SetTag("faas.invocation_id", invocationId);
        activity?.SetTag("faas.trigger", trigger);

        var started = timeProvider.GetTimestamp();
        var outcome = await RunAsync(registration, invocation, cancellationToken);
        var elapsed = timeProvider.GetElapsedTime(started);

        telemetry.RecordInvocation(registration.FunctionName, trigger, outcome.Status, elapsed);
        activity?.SetStatus(outcome.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome.Error);
        return outcome;
    }

    private async Task<InvocationOutcome> RunAsync(FunctionJobRegistration registration, FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var job = (IFunctionJob)serviceScope.ServiceProvider.GetRequiredService(registration.JobType);
        LogStarting(registration.FunctionName, invocation.InvocationId);
        try
        {
            await storageReadiness.WhenReadyAsync(cancellationToken).WaitAsync(StorageWait, timeProvider, cancellationToken);
            await job.RunAsync(invocation, cancellationToken);
            LogSucceeded(registration.FunctionName, invocation.InvocationId);
            return new InvocationOutcome(InvocationStatus.Succeeded, invocation, null);
        }
        catch (InvalidInvocationException exception)
        {
            LogInvalid(exception, registration.FunctionName, invocation.InvocationId);
            invocation.Log($"Invalid invocation: {exception.Message}");
            return new InvocationOutcome(InvocationStatus.Invalid, invocation, exception.Message);
        }
        // The failure is not swallowed: it is logged with the invocation id and reported as a failed outcome,
        // which the host endpoint answers with a non-2xx and the poller retries, then parks in the poison queue.
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(exception, registration.FunctionName, invocation.InvocationId);
            invocation.Log($"Failed: {exception.GetType().Name}: {exception.Message}");
            return new InvocationOutcome(InvocationStatus.Failed, invocation, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {FunctionName} starting (invocation {InvocationId})")]
    private partial void LogStarting(string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {FunctionName} succeeded (invocation {InvocationId})")]
    private partial void LogSucceeded(string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionName} failed (invocation {InvocationId})")]
    private partial void LogFailed(Exception exception, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {FunctionName} got an invalid invocation {InvocationId}")]
    private partial void LogInvalid(Exception exception, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {InvocationId} names unknown function {FunctionName}")]
    private partial void LogUnknown(string functionName, string invocationId);
}
