using System.Collections.Concurrent;
using FunctionsPortal.Jobs;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>Collects the invocations test jobs receive, and lets a test wait for the n-th one.</summary>
public sealed class InvocationRecorder : IDisposable
{
    private readonly ConcurrentQueue<FunctionInvocation> _invocations = new();
    private readonly SemaphoreSlim _signal = new(0);

    public IReadOnlyCollection<FunctionInvocation> Invocations => _invocations;

    public void Record(FunctionInvocation invocation)
    {
        _invocations.Enqueue(invocation);
        _signal.Release();
    }

    public void Dispose() => _signal.Dispose();

    public async Task WaitForAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (_invocations.Count < count)
        {
            try
            {
                await _signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Expected {count} invocation(s) within {timeout}; got {_invocations.Count}.");
            }
        }
    }
}
