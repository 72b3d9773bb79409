using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Reviews;

/// <summary>
/// Staff decisions on a submission over the API (the staff pages make the same ones): accept it, or send it back with
/// a message the vendor sees on their pages; their next submission becomes a new sealed version.
/// </summary>
internal static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/assignments/{key}").WithTags("Reviews").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapPost("/request-changes", RequestChangesAsync).WithName("RequestChanges")
            .WithSummary("Send a submission back to the vendor with a message; the link keeps working.");
        group.MapPost("/accept", AcceptAsync).WithName("AcceptSubmission");
        return endpoints;
    }

    internal static async Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> RequestChangesAsync(
        string key, ChangesRequest request, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["Tell the vendor what to change / 修正内容を記入してください。"] });
        }

        return await DecideAsync(key, () => decisions.RequestChangesAsync(key, request.Message, StaffRoles.NameOf(user), cancellationToken));
    }

    internal static Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> AcceptAsync(
        string key, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(key, () => decisions.AcceptAsync(key, StaffRoles.NameOf(user), cancellationToken));

    private static async Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> DecideAsync(string key, Func<Task<Assignment?>> decide)
    {
        try
        {
            return await decide() is { } decided ? TypedResults.Ok(decided) : AssignmentProblems.NotFound(key);
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentProblems.NotPossibleNow(exception.Message);
        }
    }
}

public sealed record ChangesRequest(string? Message);
