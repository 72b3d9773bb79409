using FunctionsPortal.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.Hosting;

/// <summary><c>GET /healthz</c>: is storage reachable and initialized? 200 when healthy, 503 with the reason when not.</summary>
internal static class HealthEndpoint
{
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetAsync(
        StorageHealth storageHealth, HostingMode mode, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var storage = await storageHealth.CheckAsync(cancellationToken);
        var response = new HealthResponse(
            storage.Healthy ? "Healthy" : "Unhealthy",
            mode.ToString(),
            timeProvider.GetUtcNow(),
            typeof(HealthEndpoint).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            storage);
        return storage.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthResponse(string Status, string Mode, DateTimeOffset CheckedAt, string Version, StorageHealthReport Storage);
