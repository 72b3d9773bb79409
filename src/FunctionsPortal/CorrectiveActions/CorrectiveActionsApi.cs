using FunctionsPortal.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>Corrective actions and the vendor's ledger over the API, for staff.</summary>
internal static class CorrectiveActionsApi
{
    public static IEndpointRouteBuilder MapCorrectiveActionsApi(this IEndpointRouteBuilder endpoints)
    {
        var actions = endpoints.MapGroup("/api/corrective-actions").WithTags("Corrective actions").RequireAuthorization(StaffRoles.StaffPolicy);
        actions.MapGet("", ListAsync).WithName("ListCorrectiveActions")
            .WithSummary("Corrective actions, optionally of one vendor and in one status (open, risk-review, submitted, returned, verified, risk-accepted, planned).");
        actions.MapGet("/{id}", GetAsync).WithName("GetCorrectiveAction")
            .WithSummary("One corrective action with its task as last synced, its history and the vendor's remediation.");
        endpoints.MapGroup("/api/vendors/{id}").WithTags("Corrective actions").RequireAuthorization(StaffRoles.StaffPolicy)
            .MapGet("/risk-ledger", GetLedgerAsync).WithName("GetRiskLedger")
            .WithSummary("The vendor's ○/△/× ledger: open risks, planned dates (overdue flagged), accepted residual risks (who, until when), closed.");
        return endpoints;
    }

    internal static async Task<Results<Ok<IReadOnlyList<CorrectiveAction>>, ValidationProblem>> ListAsync(
        string? vendorId, string? status, CorrectiveActionStore store, CancellationToken cancellationToken)
    {
        if (status is not null && !ActionStatuses.All.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Unknown status; one of: {string.Join(", ", ActionStatuses.All)}."] });
        }

        IReadOnlyList<CorrectiveAction> found = string.IsNullOrWhiteSpace(vendorId)
            ? await store.ListAsync(status, cancellationToken)
            : (await store.ListForVendorAsync(vendorId, cancellationToken)).Where(action => status is null || action.Status == status).ToList();
        return TypedResults.Ok(found);
    }

    internal static async Task<Results<Ok<CorrectiveAction>, NotFound<ProblemDetails>>> GetAsync(string id, CorrectiveActionStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } action
            ? TypedResults.Ok(action)
            : TypedResults.NotFound(new ProblemDetails { Title = "No such corrective action", Detail = $"There is no corrective action '{id}'.", Status = 404 });

    internal static async Task<Ok<RiskLedger>> GetLedgerAsync(string id, CorrectiveActionStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(RiskLedger.For(id, await store.ListForVendorAsync(id, cancellationToken), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
}
