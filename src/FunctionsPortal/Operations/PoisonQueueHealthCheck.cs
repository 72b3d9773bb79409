using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunctionsPortal.Operations;

/// <summary>
/// <c>/healthz</c> names every poison queue that holds messages (Degraded: the app runs, but some work failed all its
/// retries and waits for a person — fix the cause, then <c>POST /api/operations/poison/{queue}/redrive</c>).
/// </summary>
internal sealed class PoisonQueueHealthCheck(PoisonQueues poison) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var parked = (await poison.DepthsAsync(cancellationToken)).Where(depth => depth.Messages > 0).ToList();
        var data = parked.ToDictionary(depth => depth.Queue, depth => (object)depth.Messages, StringComparer.Ordinal);
        return parked.Count == 0
            ? HealthCheckResult.Healthy("No poison messages.")
            : HealthCheckResult.Degraded($"Messages failed every retry and are parked: {string.Join(", ", parked.Select(depth => $"{depth.Queue} {depth.Messages}"))}. Fix the cause, then re-drive them.", data: data);
    }
}
