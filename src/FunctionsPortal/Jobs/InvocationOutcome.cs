namespace FunctionsPortal.Jobs;

public enum InvocationStatus
{
    Succeeded,
    Failed,
    Invalid,
    UnknownFunction,
}

/// <summary>What one invocation came to; the host endpoint turns it into an HTTP status, the poller into delete/retry/poison.</summary>
public sealed record InvocationOutcome(InvocationStatus Status, FunctionInvocation? Invocation, string? Error)
{
    public bool Succeeded => Status == InvocationStatus.Succeeded;
}
