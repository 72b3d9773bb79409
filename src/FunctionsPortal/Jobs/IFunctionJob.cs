namespace FunctionsPortal.Jobs;

/// <summary>
/// The code behind one timer or queue function. The same job runs whether the Functions host invokes it over
/// HTTP or the standalone scheduler/poller invokes it in-process. Throwing fails the invocation: the host (or the
/// poller) retries a queue message and finally parks it in <c>&lt;queue&gt;-poison</c>.
/// Jobs write to storage through the SDK clients rather than output bindings, so both modes behave the same.
/// </summary>
public interface IFunctionJob
{
    Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken);
}
