using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Subcontractors;

/// <summary>PUT /api/vendors/{id}/prior-approval: administrators decide a subcontracting, with the handling-method document in view.</summary>
internal static class SubcontractorsApi
{
    public static IEndpointRouteBuilder MapSubcontractorsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/api/vendors/{id}/prior-approval", DecideAsync).WithTags("Vendors").WithName("DecideSubcontractorApproval")
            .WithSummary("Approve or reject a subcontracting (If-Match: the ETag). Approval waits for the handling-method document unless withoutDocument is true with a reason.")
            .RequireAuthorization(StaffRoles.AdminPolicy);
        return endpoints;
    }

    internal static async Task<Results<Ok<VendorView>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> DecideAsync(
        string id, JsonBody<PriorApprovalRequest> request, [FromHeader(Name = "If-Match")] string? ifMatch, PriorApprovalDecisions decisions, ClaimsPrincipal user,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required / If-Match が必要です",
                detail: "Send the ETag you read (GET returns it) in If-Match, so a concurrent change is never overwritten.");
        }

        try
        {
            var view = await decisions.DecideAsync(id, ifMatch, request.Value, StaffRoles.NameOf(user), cancellationToken);
            response.Headers.ETag = view.ETag;
            return TypedResults.Ok(view);
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors);
        }
        catch (VendorNotFoundException)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Vendor not found / 委託先が見つかりません", Detail = $"There is no vendor {id}." });
        }
        catch (Exception exception) when (exception is ConcurrencyConflictException or VendorConflictException)
        {
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Conflict / 競合", Detail = exception.Message });
        }
    }
}
