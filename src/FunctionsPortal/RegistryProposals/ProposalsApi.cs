using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// /api/vendors/{id}/proposals: the registry changes a vendor's scoping answers propose (read: any staff role; decide:
/// administrators). Confirming needs the vendor's ETag in <c>If-Match</c>, as every registry change does.
/// </summary>
internal static class ProposalsApi
{
    public static IEndpointRouteBuilder MapProposalsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/vendors/{id}/proposals").WithTags("Vendors").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/", ListAsync).WithName("ListRegistryProposals").WithSummary("Registry changes proposed by the vendor's scoping answers, newest first.");
        group.MapPost("/{proposalId}/confirm", ConfirmAsync).WithName("ConfirmRegistryProposal").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Apply the proposed change to the registry (If-Match: the vendor's ETag; countriesTo: storage, access or both).");
        group.MapPost("/{proposalId}/dismiss", DismissAsync).WithName("DismissRegistryProposal").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Dismiss the proposed change, saying why.");
        return endpoints;
    }

    internal static async Task<Results<Ok<IReadOnlyList<RegistryProposal>>, NotFound<ProblemDetails>>> ListAsync(
        string id, VendorRegistry registry, ProposalDecisions decisions, CancellationToken cancellationToken) =>
        await registry.RecordAsync(id, cancellationToken) is null ? NotFound(id) : TypedResults.Ok(await decisions.ListAsync(id, cancellationToken));

    internal static async Task<Results<Ok<RegistryProposal>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> ConfirmAsync(
        string id, string proposalId, OptionalJsonBody<ConfirmProposalRequest> request, [FromHeader(Name = "If-Match")] string? ifMatch, ProposalDecisions decisions, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required / If-Match が必要です",
                detail: "Send the vendor's ETag (GET /api/vendors/{id} returns it) in If-Match, so a concurrent change is never overwritten.");
        }

        return await DecideAsync(id, () => decisions.ConfirmAsync(id, proposalId, ifMatch, request.Value?.CountriesTo, StaffRoles.NameOf(user), cancellationToken));
    }

    internal static Task<Results<Ok<RegistryProposal>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> DismissAsync(
        string id, string proposalId, OptionalJsonBody<DismissProposalRequest> request, ProposalDecisions decisions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        DecideAsync(id, () => decisions.DismissAsync(id, proposalId, request.Value?.Reason, StaffRoles.NameOf(user), cancellationToken));

    private static async Task<Results<Ok<RegistryProposal>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> DecideAsync(
        string id, Func<Task<RegistryProposal>> decide)
    {
        try
        {
            return TypedResults.Ok(await decide());
        }
        catch (ProposalNotFoundException exception)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Proposal not found / 提案が見つかりません", Detail = exception.Message });
        }
        catch (VendorNotFoundException)
        {
            return NotFound(id);
        }
        catch (ProposalDecisionException exception)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["proposal"] = [exception.Message] });
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The change would make the vendor invalid / 変更後の登録内容に誤りがあります");
        }
        catch (ConcurrencyConflictException exception)
        {
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Conflict / 競合", Detail = exception.Message });
        }
    }

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Vendor not found / 委託先が見つかりません", Detail = $"There is no vendor {id}." });
}

public sealed record ConfirmProposalRequest(string? CountriesTo);

public sealed record DismissProposalRequest(string? Reason);
