using FunctionsPortal.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FunctionsPortal.Hosting;

/// <summary>
/// <c>GET /healthz</c>: is storage reachable and initialized? 200 when it is, 503 with the reason when not. With
/// storage up, the registered health checks run too (poison queues, say): one that is not healthy makes the status
/// "Degraded" and says why, still with 200 — the app serves, but something waits for a person.
/// </summary>
internal static class HealthEndpoint
{
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetAsync(
        StorageHealth storageHealth, HealthCheckService checks, HostingMode mode, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var storage = await storageHealth.CheckAsync(cancellationToken);
        var attention = new List<HealthNote>();
        if (storage.Healthy)
        {
            var report = await checks.CheckHealthAsync(cancellationToken);
            attention.AddRange(report.Entries
                .Where(entry => entry.Value.Status != HealthStatus.Healthy)
                .Select(entry => new HealthNote(entry.Key, entry.Value.Status.ToString(), entry.Value.Description ?? "", entry.Value.Data.ToDictionary(pair => pair.Key, pair => pair.Value))));
        }

        var response = new HealthResponse(
            !storage.Healthy ? "Unhealthy" : attention.Count > 0 ? "Degraded" : "Healthy",
            mode.ToString(),
            timeProvider.GetUtcNow(),
            typeof(HealthEndpoint).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            storage,
            attention);
        return storage.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthResponse(string Status, string Mode, DateTimeOffset CheckedAt, string Version, StorageHealthReport Storage, IReadOnlyList<HealthNote> Attention);

/// <summary>A health check that is not healthy: its name, status, why, and its figures (e.g. messages per poison queue).</summary>
public sealed record HealthNote(string Check, string Status, string Description, IReadOnlyDictionary<string, object> Data);
