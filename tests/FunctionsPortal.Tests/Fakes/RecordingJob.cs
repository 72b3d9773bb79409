using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A job that records what it was given and succeeds.</summary>
public sealed class RecordingJob(InvocationRecorder recorder) : IFunctionJob
{
    public Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Record(invocation);
        invocation.Log("recorded");
        invocation.ReturnValue = new { seen = invocation.Payload.Data.Count };
        return Task.CompletedTask;
    }
}
