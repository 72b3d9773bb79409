using System.Diagnostics;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// Waits for something that happens in the background (a queue drains, a timer fires, a process starts answering) by
/// asking again every <see cref="DefaultInterval"/> until the answer is yes. It never returns quietly: when the time is
/// up it throws, saying what it waited for and what it saw last.
/// </summary>
/// <remarks>
/// It throws <see cref="TimeoutException"/>, not an xunit assertion, because the benchmarks compile this file too
/// (through SurveyScenario) and have no xunit; a test fails on it all the same, with the same message.
/// </remarks>
/// <example>
/// <code>
/// var mails = await Eventually.ValueAsync(
///     () => outbox.ListAsync(100, token),
///     mails => mails.Count >= 3,
///     mails => $"3 mails in the outbox (saw {mails.Count})",
///     cancellationToken: token);
/// </code>
/// </example>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads until <paramref name="done"/> holds for what was read, and returns that value.</summary>
    /// <param name="read">Reads the current state; it may also do a turn of work (advance a clock, run a sweep).</param>
    /// <param name="done">Whether the value read is the one awaited.</param>
    /// <param name="describe">What is awaited and what the value shows instead: the message when the time is up.</param>
    /// <param name="timeout">How long to keep asking; <see cref="DefaultTimeout"/> unless given.</param>
    /// <param name="interval">The pause between two reads; <see cref="DefaultInterval"/> unless given.</param>
    /// <param name="cancellationToken">Stops the wait (the test's own token).</param>
    /// <exception cref="TimeoutException">The value read last was still not done when the time was up.</exception>
    public static async Task<T> ValueAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, Func<T, string> describe,
        TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(describe);
        var limit = timeout ?? DefaultTimeout;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (waited.Elapsed >= limit)
            {
                throw new TimeoutException($"Gave up after {limit} waiting for {describe(value)}.");
            }

            await Task.Delay(interval ?? DefaultInterval, cancellationToken);
        }
    }

    /// <summary>Asks <paramref name="condition"/> until it holds; otherwise as <see cref="ValueAsync{T}"/>.</summary>
    /// <param name="condition">Whether the awaited state is reached; it may also do a turn of work.</param>
    /// <param name="describe">What is awaited and what was seen instead: the message when the time is up.</param>
    /// <param name="timeout">How long to keep asking; <see cref="DefaultTimeout"/> unless given.</param>
    /// <param name="interval">The pause between two questions; <see cref="DefaultInterval"/> unless given.</param>
    /// <param name="cancellationToken">Stops the wait (the test's own token).</param>
    /// <exception cref="TimeoutException">The condition still did not hold when the time was up.</exception>
    public static Task UntilAsync(
        Func<Task<bool>> condition, Func<string> describe,
        TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return ValueAsync(condition, holds => holds, _ => describe(), timeout, interval, cancellationToken);
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, Func{string}, TimeSpan?, TimeSpan?, CancellationToken)"/>
    public static Task UntilAsync(
        Func<bool> condition, Func<string> describe,
        TimeSpan? timeout = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), describe, timeout, interval, cancellationToken);
    }
}
