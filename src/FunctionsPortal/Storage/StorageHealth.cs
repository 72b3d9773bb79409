using System.Diagnostics;

namespace FunctionsPortal.Storage;

/// <summary>Probes the three storage services with one cheap list call each, in parallel, under a short deadline.</summary>
public sealed class StorageHealth(PortalStorage storage, StorageReadiness readiness)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<StorageHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var token = deadline.Token;

        var checks = await Task.WhenAll(
            ProbeAsync("tables", async () =>
            {
                await foreach (var _ in storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: token).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }),
            ProbeAsync("blobs", async () =>
            {
                await foreach (var _ in storage.Blobs.GetBlobContainersAsync(cancellationToken: token).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }),
            ProbeAsync("queues", async () =>
            {
                await foreach (var _ in storage.Queues.GetQueuesAsync(cancellationToken: token).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }));

        var ready = checks.All(check => check.Reachable) && await ReadyWithinAsync(token);
        return new StorageHealthReport(ready, readiness.IsReady, checks);
    }

    /// <summary>A probe that arrives while start-up is still creating tables waits for it within the deadline, rather than calling a starting instance unhealthy.</summary>
    private async Task<bool> ReadyWithinAsync(CancellationToken token)
    {
        try
        {
            await readiness.WhenReadyAsync(token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<StorageServiceHealth> ProbeAsync(string service, Func<Task> probe)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await probe();
            return new StorageServiceHealth(service, true, stopwatch.ElapsedMilliseconds, null);
        }
        // Health must answer even when storage is down: the failure is the result, reported without a stack trace.
        catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
        {
            var reason = exception is OperationCanceledException ? $"no answer within {Deadline.TotalSeconds:0} s" : FirstLine(exception.Message);
            return new StorageServiceHealth(service, false, stopwatch.ElapsedMilliseconds, reason);
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

public sealed record StorageHealthReport(bool Healthy, bool ResourcesCreated, IReadOnlyList<StorageServiceHealth> Services);

public sealed record StorageServiceHealth(string Service, bool Reachable, long DurationMs, string? Error);
