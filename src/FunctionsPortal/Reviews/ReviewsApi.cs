using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Scoring;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Reviews;

/// <summary>
/// Staff decisions on a submission over the API (the staff pages make the same ones): accept it, or send it back with
/// a message the vendor sees on their pages; notes for staff only; reassessing an item with a reason.
/// </summary>
internal static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/assignments/{key}").WithTags("Reviews").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapPost("/request-changes", RequestChangesAsync).WithName("RequestChanges")
            .WithSummary("Send a submission back to the vendor with a message; the link keeps working.");
        group.MapPost("/accept", AcceptAsync).WithName("AcceptSubmission")
            .WithSummary("Accept the latest submission. With a failed critical item a reason is required, and with Reviews:RequireSecondReviewer a second, different reviewer (the first gets 202).");
        group.MapGet("/review", GetReviewAsync).WithName("GetReview")
            .WithSummary("Notes, reassessments and approvals of an assignment, with the latest submission's sealed and reassessed score.");
        group.MapPost("/notes", AddNoteAsync).WithName("AddReviewNote").WithSummary("A note for staff only; the vendor never sees it.");
        group.MapPut("/reassessments/{itemId}", ReassessAsync).WithName("ReassessItem")
            .WithSummary("Reassess one scored item of the latest submission (points 0, 0.5 or 1; null clears it) with a mandatory reason; the sealed record never changes.");
        return endpoints;
    }

    internal static async Task<Results<Ok<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> RequestChangesAsync(
        string key, JsonBody<ChangesRequest> request, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Value.Message))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["Tell the vendor what to change / 修正内容を記入してください。"] });
        }

        try
        {
            return await decisions.RequestChangesAsync(key, request.Value.Message, StaffRoles.NameOf(user), cancellationToken) is { } decided ? TypedResults.Ok(decided) : AssignmentProblems.NotFound(key);
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentProblems.NotPossibleNow(exception.Message);
        }
    }

    internal static async Task<Results<Ok<Assignment>, Accepted<Assignment>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> AcceptAsync(
        string key, OptionalJsonBody<AcceptRequest> request, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await decisions.AcceptAsync(key, StaffRoles.NameOf(user), request.Value?.Reason, cancellationToken);
            return outcome.Result switch
            {
                AcceptResult.Accepted when outcome.Assignment is { } accepted => TypedResults.Ok(accepted),
                AcceptResult.AwaitingSecondReviewer => TypedResults.Accepted((string?)null, outcome.Assignment!),
                AcceptResult.ReasonRequired => TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["reason"] = ["A critical item failed: say why the submission is accepted anyway / 重要項目が不適合です。受理する理由を記入してください。"],
                }),
                AcceptResult.SameReviewer => AssignmentProblems.NotPossibleNow("A second, different reviewer must accept a submission with a failed critical item / 重要項目が不適合の提出は、一次承認者とは別の担当者が受理します。"),
                _ => AssignmentProblems.NotFound(key),
            };
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentProblems.NotPossibleNow(exception.Message);
        }
    }

    internal static async Task<Results<Ok<ReviewSummary>, NotFound<ProblemDetails>>> GetReviewAsync(
        string key, AssignmentStore assignments, ReviewRecords records, ReviewDecisions decisions, Submissions.SubmissionStore submissions, CancellationToken cancellationToken)
    {
        if (await assignments.FindAsync(key, cancellationToken) is not { } assignment)
        {
            return AssignmentProblems.NotFound(key);
        }

        var state = await records.ReadAsync(key, cancellationToken);
        ScoreResult? sealedScore = null;
        ScoreResult? reassessed = null;
        if (assignment.SubmittedVersion is { } version && await submissions.ReadScoreAsync(key, version, cancellationToken) is { } score)
        {
            sealedScore = score;
            reassessed = await decisions.ReassessedAsync(score, state.ReassessmentsOf(version), cancellationToken);
        }

        return TypedResults.Ok(new ReviewSummary(assignment.Key, assignment.Status, assignment.SubmittedVersion, state.Notes, state.Reassessments, state.Approvals,
            sealedScore is null ? null : new ScoreFigures(sealedScore.Verdict, sealedScore.Percentage, sealedScore.Grade),
            reassessed is null ? null : new ScoreFigures(reassessed.Verdict, reassessed.Percentage, reassessed.Grade)));
    }

    internal static async Task<Results<Created<ReviewNote>, ValidationProblem, NotFound<ProblemDetails>>> AddNoteAsync(
        string key, JsonBody<NoteRequest> request, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var text = request.Value.Text?.Trim() ?? "";
        if (text.Length is 0 or > NoteRequest.MaxLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"Write the note (at most {NoteRequest.MaxLength} characters) / メモを{NoteRequest.MaxLength}字以内で記入してください。"] });
        }

        return await decisions.AddNoteAsync(key, text, StaffRoles.NameOf(user), cancellationToken) is { } note
            ? TypedResults.Created($"/api/assignments/{Uri.EscapeDataString(key)}/review", note)
            : AssignmentProblems.NotFound(key);
    }

    internal static async Task<Results<NoContent, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReassessAsync(
        string key, string itemId, JsonBody<ReassessRequest> request, ReviewDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await decisions.ReassessAsync(key, itemId, request.Value.Points, request.Value.Reason, StaffRoles.NameOf(user), cancellationToken);
        return outcome switch
        {
            ReassessOutcome.Done => TypedResults.NoContent(),
            ReassessOutcome.ReasonRequired => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Say why the item is reassessed / 再評価の理由を記入してください。"] }),
            ReassessOutcome.InvalidPoints => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["points"] = ["Points are 0, 0.5 or 1 (null clears the reassessment) / 評点は 0・0.5・1 のいずれかです。"] }),
            ReassessOutcome.NotScored => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["itemId"] = [$"Item {itemId} was not scored in the latest submission / この設問は採点されていません。"] }),
            ReassessOutcome.AlreadyDecided => AssignmentProblems.NotPossibleNow("The submission has been decided; reassessments are made before the decision / 判定済みの提出は再評価できません。"),
            _ => AssignmentProblems.NotFound(key),
        };
    }
}

public sealed record ChangesRequest(string? Message);

public sealed record AcceptRequest(string? Reason);

public sealed record NoteRequest(string? Text)
{
    public const int MaxLength = 4000;
}

public sealed record ReassessRequest(decimal? Points, string? Reason);

public sealed record ScoreFigures(string Verdict, decimal? Percentage, string? Grade);

public sealed record ReviewSummary(
    string Key, string Status, int? SubmittedVersion, IReadOnlyList<ReviewNote> Notes, IReadOnlyList<Reassessment> Reassessments, IReadOnlyList<FirstApproval> Approvals,
    ScoreFigures? SealedScore, ScoreFigures? ReassessedScore);
