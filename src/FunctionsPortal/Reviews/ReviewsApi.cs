using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Reviews;

/// <summary>
/// Staff decisions on a submission (API until the staff console exists): accept it, or send it back with a message
/// the vendor sees on their pages; their next submission becomes a new sealed version.
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
        string key, ChangesRequest request, AssignmentStore store, MailOutbox outbox, SurveyMailRequests mail, ClaimsPrincipal user, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["Tell the vendor what to change / 修正内容を記入してください。"] });
        }

        var result = await DecideAsync(key, AssignmentStatus.ChangesRequested, request.Message.Trim(), store, user, timeProvider, cancellationToken);
        if (result.Result is Ok<Assignment>)
        {
            // The vendor hears of it by mail, with a fresh link to its pages (the n-th request is its own outbox row).
            var requests = (await outbox.ListAsync(key, cancellationToken)).Count(sent => sent.Kind.StartsWith("changes-", StringComparison.Ordinal));
            await mail.EnqueueAsync(new SurveyMailMessage(key, $"changes-{requests + 1}"), cancellationToken);
        }

        return result;
    }

    internal static Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> AcceptAsync(
        string key, AssignmentStore store, ClaimsPrincipal user, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        DecideAsync(key, AssignmentStatus.Accepted, null, store, user, timeProvider, cancellationToken);

    private static async Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> DecideAsync(
        string key, string decision, string? message, AssignmentStore store, ClaimsPrincipal user, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        try
        {
            var decided = await store.DecideAsync(key, decision, message, StaffRoles.NameOf(user), timeProvider.GetUtcNow(), cancellationToken);
            return decided is null ? AssignmentProblems.NotFound(key) : TypedResults.Ok(decided);
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentProblems.NotPossibleNow(exception.Message);
        }
    }
}

public sealed record ChangesRequest(string? Message);
