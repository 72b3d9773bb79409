using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>Staff decisions on a corrective action over the API (the staff page makes the same ones): verify or return the vendor's remediation, accept or refuse a residual risk.</summary>
public static class RemediationApi
{
    public static IEndpointRouteBuilder MapRemediationApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var actions = endpoints.MapGroup("/api/corrective-actions/{id}").WithTags("Corrective actions").RequireAuthorization(StaffRoles.StaffPolicy);
        actions.MapPost("/verify", VerifyAsync).WithName("VerifyRemediation")
            .WithSummary("Accept the vendor's remediation (status submitted → verified) and complete the action's task.");
        actions.MapPost("/return", ReturnAsync).WithName("ReturnRemediation")
            .WithSummary("Send the vendor's remediation back with a message the vendor sees (submitted → returned); the vendor can submit again.");
        actions.MapPost("/accept-risk", AcceptRiskAsync).WithName("AcceptResidualRisk")
            .WithSummary("Accept the residual risk the vendor asked about (risk-review → risk-accepted) until a date (default: CorrectiveActions:RiskAcceptanceDays from today); completes the task.");
        actions.MapPost("/refuse-risk", RefuseRiskAsync).WithName("RefuseResidualRisk")
            .WithSummary("Refuse to accept the residual risk (risk-review → open) with a reason the vendor sees; the vendor remediates instead.");
        return endpoints;
    }

    internal static async Task<Results<Ok<CorrectiveAction>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> VerifyAsync(
        string id, RemediationReviews reviews, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(id, await reviews.VerifyAsync(id, StaffRoles.NameOf(user), cancellationToken), "Only a remediation waiting for review (status submitted) can be verified / 確認待ちの是正報告だけを確認済みにできます。");

    internal static async Task<Results<Ok<CorrectiveAction>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReturnAsync(
        string id, OptionalJsonBody<ReturnRemediationRequest> request, RemediationReviews reviews, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Value?.Message))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["Tell the vendor what is missing / 差し戻しの理由を記入してください。"] });
        }

        return AnswerOrInvalid(id, await reviews.ReturnAsync(id, request.Value.Message, StaffRoles.NameOf(user), cancellationToken),
            "Only a remediation waiting for review (status submitted) can be sent back / 確認待ちの是正報告だけを差し戻せます。");
    }

    internal static async Task<Results<Ok<CorrectiveAction>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> AcceptRiskAsync(
        string id, OptionalJsonBody<AcceptRiskRequest> request, RemediationReviews reviews, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Value?.Reason))
        {
            errors["reason"] = ["Say why the residual risk is acceptable / リスクを受容する理由を記入してください。"];
        }

        if (request.Value?.Until is { } until && until <= reviews.Today())
        {
            errors["until"] = ["Accept a risk until a date after today / 受容期限には明日以降の日付を指定してください。"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return AnswerOrInvalid(id, await reviews.AcceptRiskAsync(id, request.Value!.Reason!, request.Value.Until, StaffRoles.NameOf(user), cancellationToken),
            "Only an action whose vendor asked for a risk acceptance (status risk-review) can have it accepted / リスク受容の審査中の対応だけが対象です。");
    }

    internal static async Task<Results<Ok<CorrectiveAction>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> RefuseRiskAsync(
        string id, OptionalJsonBody<RefuseRiskRequest> request, RemediationReviews reviews, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Value?.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Tell the vendor why the risk cannot be accepted / 受容できない理由を記入してください。"] });
        }

        return AnswerOrInvalid(id, await reviews.RefuseRiskAsync(id, request.Value.Reason, StaffRoles.NameOf(user), cancellationToken),
            "Only an action whose vendor asked for a risk acceptance (status risk-review) can have it refused / リスク受容の審査中の対応だけが対象です。");
    }

    private static Results<Ok<CorrectiveAction>, NotFound<ProblemDetails>, Conflict<ProblemDetails>> Answer(string id, RemediationDecision decision, string conflict) =>
        decision.Result switch
        {
            DecisionResult.Done or DecisionResult.AlreadyDone => TypedResults.Ok(decision.Action!),
            DecisionResult.WrongStatus => Conflict(decision, conflict),
            _ => NotFound(id),
        };

    private static Results<Ok<CorrectiveAction>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>> AnswerOrInvalid(string id, RemediationDecision decision, string conflict) =>
        decision.Result switch
        {
            DecisionResult.Done or DecisionResult.AlreadyDone => TypedResults.Ok(decision.Action!),
            DecisionResult.WrongStatus => Conflict(decision, conflict),
            _ => NotFound(id),
        };

    private static Conflict<ProblemDetails> Conflict(RemediationDecision decision, string detail) => TypedResults.Conflict(new ProblemDetails
    {
        Title = "Not possible in the action's current status",
        Detail = $"{detail} (status: {decision.Action!.Status})",
        Status = StatusCodes.Status409Conflict,
    });

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "No such corrective action", Detail = $"There is no corrective action '{id}'.", Status = StatusCodes.Status404NotFound });
}

public sealed record ReturnRemediationRequest(string? Message);

public sealed record AcceptRiskRequest(string? Reason, DateOnly? Until);

public sealed record RefuseRiskRequest(string? Reason);
