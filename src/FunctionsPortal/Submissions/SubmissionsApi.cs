using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Submissions;

/// <summary>Staff: an assignment's sealed versions, each one's record and score, and verification of stored or downloaded receipts.</summary>
internal static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        var group = endpoints.MapGroup("/api").WithTags("Submissions").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/assignments/{key}/submissions", ListAsync).WithName("ListSubmissions").WithSummary("Every sealed version of an assignment, oldest first.");
        group.MapGet("/assignments/{key}/submissions/{version:int}", GetAsync).WithName("GetSubmission").WithSummary("The sealed envelope exactly as stored.");
        group.MapGet("/assignments/{key}/submissions/{version:int}/score", ScoreAsync).WithName("GetSubmissionScore");
        group.MapGet("/assignments/{key}/submissions/{version:int}/verify", VerifyStoredAsync).WithName("VerifySubmission")
            .WithSummary("Recompute the hash, check the signature and every evidence file's hash.");
        group.MapGet("/assignments/{key}/submissions/{version:int}/evidence/{evidenceId}", EvidenceAsync).WithName("GetSubmittedEvidence")
            .WithSummary("A document sealed with this version, as the vendor uploaded it (always a download).");
        group.MapPost("/receipts/verify", VerifyReceiptAsync).WithName("VerifyReceipt")
            .WithSummary("Check a downloaded receipt (the sealed JSON) against its signature and against storage.")
            .WithBodyLimit(limits.ReceiptBytes).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<SubmissionRecord>>> ListAsync(string key, SubmissionStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(key, cancellationToken));

    internal static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> GetAsync(string key, int version, SubmissionStore store, CancellationToken cancellationToken) =>
        await store.ReadSealedAsync(key, version, cancellationToken) is { } bytes
            ? TypedResults.File(bytes, "application/json")
            : NotFound(key, version);

    internal static async Task<Results<Ok<Scoring.ScoreResult>, NotFound<ProblemDetails>>> ScoreAsync(string key, int version, SubmissionStore store, CancellationToken cancellationToken) =>
        await store.ReadScoreAsync(key, version, cancellationToken) is { } score ? TypedResults.Ok(score) : NotFound(key, version);

    internal static async Task<Results<FileStreamHttpResult, NotFound<ProblemDetails>>> EvidenceAsync(
        string key, int version, string evidenceId, SubmissionSealer sealer, Evidence.EvidenceStore evidence, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await sealer.FindAsync(key, version, cancellationToken) is not { } envelope)
        {
            return NotFound(key, version);
        }

        // Only a file this sealed version names: the blob name comes from the seal, never from the request.
        var file = envelope.Payload.Evidence.FirstOrDefault(candidate => candidate.Id == evidenceId);
        if (file is null)
        {
            return TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Document not found / 資料が見つかりません", Detail = $"Version {version} of {key} has no document {evidenceId}." });
        }

        response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.File(await evidence.OpenReadAsync(file.BlobName, cancellationToken), file.ContentType, file.FileName);
    }

    internal static async Task<Ok<VerificationReport>> VerifyStoredAsync(string key, int version, SubmissionVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyStoredAsync(key, version, cancellationToken));

    internal static async Task<Ok<VerificationReport>> VerifyReceiptAsync(HttpContext context, SubmissionVerifier verifier, CancellationToken cancellationToken)
    {
        // Past the endpoint's limit this throws, and the exception handler answers 413.
        using var buffer = await BoundedBody.ReadAsync(context, cancellationToken);
        return TypedResults.Ok(await verifier.VerifyAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken));
    }

    private static NotFound<ProblemDetails> NotFound(string key, int version) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Submission not found / 提出が見つかりません", Detail = $"There is no sealed version {version} of {key}." });
}
