using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A job that records the attempt and then fails, as a job with a bug or a dead dependency would.</summary>
public sealed class FailingJob(InvocationRecorder recorder) : IFunctionJob
{
    public Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Record(invocation);
        throw new InvalidOperationException("The downstream service refused the call.");
    }
}
