using Azure;

namespace FunctionsPortal.Storage;

/// <summary>
/// For start-up work that must eventually happen (creating resources, importing defaults): while storage is
/// unreachable, wait and try again with backoff instead of failing — an exception in a background service would
/// stop the whole app.
/// </summary>
public static partial class StorageRetry
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    public static async Task UntilDoneAsync(string work, Func<CancellationToken, Task> attempt, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var delay = TimeSpan.FromMilliseconds(250);
        for (var tries = 1; ; tries++)
        {
            try
            {
                await attempt(cancellationToken);
                return;
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(logger, exception, work, tries, delay);
            }

            await Task.Delay(delay, timeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>Unreachable or overloaded storage; not bad requests, conflicts or our own bugs.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException => true,
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException { InnerException: HttpRequestException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work}: storage not reachable (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception exception, string work, int attempt, TimeSpan delay);
}
