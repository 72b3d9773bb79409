using FunctionsPortal.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.Dashboards;

/// <summary>/api/summaries: an administrator rebuilds a cycle's dashboard summary now rather than at night.</summary>
internal static class SummariesApi
{
    public static IEndpointRouteBuilder MapSummariesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/summaries").WithTags("Summaries").RequireAuthorization(StaffRoles.AdminPolicy);
        group.MapPost("/{cycle}/rebuild", RebuildAsync).WithName("RebuildSummary")
            .WithSummary("Recompute a cycle's dashboard summary from its assignments (the nightly job does every cycle).");
        return endpoints;
    }

    internal static async Task<Ok<RebuildResult>> RebuildAsync(string cycle, SummaryRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RebuildResult(cycle, await rebuilder.RebuildAsync(cycle, cancellationToken)));
}

public sealed record RebuildResult(string Cycle, int RowsRewritten);
