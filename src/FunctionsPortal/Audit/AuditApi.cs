using FunctionsPortal.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.Audit;

/// <summary>/api/audit: one vendor's trail, newest first, and the check of every chain (any staff role reads both).</summary>
internal static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/", ListAsync).WithName("ListAuditRecords")
            .WithSummary("One chain's records, newest first (vendorId, or _portal for campaigns and imports); continuation pages to older ones.");
        group.MapGet("/verify", VerifyAsync).WithName("VerifyAuditChains")
            .WithSummary("Re-reads every chain and the latest daily anchor; names each broken chain's first bad record (chain, sequence, reason).");
        return endpoints;
    }

    internal static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(
        AuditTrail trail, CancellationToken cancellationToken, string? vendorId = null, int? pageSize = null, string? continuation = null)
    {
        if (string.IsNullOrWhiteSpace(vendorId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["vendorId"] = ["Name the vendor whose trail to list (or _portal) / 委託先IDを指定してください。"] });
        }

        try
        {
            return TypedResults.Ok(await trail.ListAsync(vendorId.Trim(), pageSize ?? 50, continuation, cancellationToken));
        }
        catch (FormatException exception)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["continuation"] = [exception.Message] });
        }
    }

    internal static async Task<Ok<AuditVerification>> VerifyAsync(AuditVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAllAsync(cancellationToken));
}
