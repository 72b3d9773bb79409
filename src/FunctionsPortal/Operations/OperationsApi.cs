using FunctionsPortal.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Operations;

/// <summary>/api/operations: what failed every retry, and putting it back once fixed.</summary>
internal static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/operations").WithTags("Operations").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/poison", ListPoisonAsync).WithName("ListPoisonQueues").WithSummary("Messages parked in each queue function's -poison queue.");
        group.MapPost("/poison/{queue}/redrive", RedriveAsync).WithName("RedrivePoisonQueue").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Put up to 1,000 parked messages back on their queue, once the cause is fixed.");
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<PoisonQueueDepth>>> ListPoisonAsync(PoisonQueues poison, CancellationToken cancellationToken) =>
        TypedResults.Ok(await poison.DepthsAsync(cancellationToken));

    internal static async Task<Results<Ok<RedriveResult>, NotFound<ProblemDetails>>> RedriveAsync(string queue, PoisonQueues poison, CancellationToken cancellationToken) =>
        await poison.RedriveAsync(queue, cancellationToken) is { } moved
            ? TypedResults.Ok(new RedriveResult(queue, moved))
            : TypedResults.NotFound(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "Not a queue of ours / 対象のキューではありません",
                Detail = $"'{queue}' is not a queue any function is triggered by; these are: {string.Join(", ", poison.TriggerQueues)}.",
            });
}

public sealed record RedriveResult(string Queue, int Moved);
