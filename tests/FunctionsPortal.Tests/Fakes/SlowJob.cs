using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A job that records its invocation, then works for <see cref="Duration"/> (longer than a queue lease under test) and succeeds.</summary>
public sealed class SlowJob(InvocationRecorder recorder) : IFunctionJob
{
    public static TimeSpan Duration { get; } = TimeSpan.FromSeconds(5);

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        recorder.Record(invocation);
        await Task.Delay(Duration, cancellationToken);
    }
}
