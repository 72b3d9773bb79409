using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Evidence;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Contracts;

/// <summary>
/// /api/vendors/{id}/contracts: a vendor's contract documents (read: any staff role; record: administrators). Recording
/// is a multipart form with the signed file and needs <c>If-Match</c> with the vendor's ETag, as registry changes do; a
/// cross-site form cannot send that header, which is why this form post needs no antiforgery token.
/// </summary>
internal static class ContractsApi
{
    public static IEndpointRouteBuilder MapContractsApi(this IEndpointRouteBuilder endpoints)
    {
        var uploadLimit = UploadLimit(endpoints.ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value);
        var group = endpoints.MapGroup("/api/vendors/{id}/contracts").WithTags("Contracts").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("/", ListAsync).WithName("ListVendorContracts").WithSummary("The vendor's contract documents (業務委託契約, 覚書) with their clauses, and what it lacks to become active.");
        group.MapPost("/", RecordAsync).WithName("RecordVendorContract").RequireAuthorization(StaffRoles.AdminPolicy).DisableAntiforgery()
            .WithSummary("Record a signed contract document (multipart: kind, signedOn, startOn, endOn, the clause flags, file). If-Match: the vendor's ETag.")
            .WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        group.MapGet("/{contractId}/document", DownloadAsync).WithName("DownloadVendorContract").WithSummary("The signed document, as an attachment.");
        return endpoints;
    }

    /// <summary>One file at the evidence limit plus the form's other fields.</summary>
    public static long UploadLimit(EvidenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxFileBytes + (1024 * 1024);
    }

    internal static async Task<Results<Ok<VendorContracts>, NotFound<ProblemDetails>>> ListAsync(
        string id, VendorRegistry registry, ContractStore store, ActivationGate gate, CancellationToken cancellationToken)
    {
        if (await registry.RecordAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var file = await store.ReadVendorAsync(id, cancellationToken);
        return TypedResults.Ok(new VendorContracts(file.Documents, gate.Missing(file)));
    }

    internal static async Task<Results<Created<ContractDocument>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ProblemHttpResult>> RecordAsync(
        string id, [AsParameters] ContractInput input, IFormFile? file, [FromHeader(Name = "If-Match")] string? ifMatch,
        ContractRecorder recorder, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required / If-Match が必要です",
                detail: "Send the vendor's ETag (GET /api/vendors/{id} returns it) in If-Match.");
        }

        try
        {
            await using var content = file?.OpenReadStream();
            var outcome = await recorder.RecordAsync(id, ifMatch, input, file?.FileName, content, StaffRoles.NameOf(user), cancellationToken);
            return outcome switch
            {
                { Document: { } document } => TypedResults.Created($"/api/vendors/{Uri.EscapeDataString(id)}/contracts/{document.Id}/document", document),
                { Refusal: { } refusal } => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file was refused / ファイルを受け付けませんでした",
                    detail: $"{refusal.MessageEn} / {refusal.MessageJa}", extensions: new Dictionary<string, object?> { ["reason"] = refusal.Reason }),
                _ => TypedResults.ValidationProblem(outcome.Errors!, title: "The contract has invalid fields / 入力内容に誤りがあります"),
            };
        }
        catch (VendorNotFoundException)
        {
            return NotFound(id);
        }
        catch (VendorValidationException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, title: "The vendor record cannot take this contract period / 契約期間を登録できません");
        }
        catch (ConcurrencyConflictException exception)
        {
            return TypedResults.Conflict(new ProblemDetails { Status = 409, Title = "Conflict / 競合", Detail = exception.Message });
        }
    }

    internal static async Task<Results<FileStreamHttpResult, NotFound<ProblemDetails>>> DownloadAsync(
        string id, string contractId, ContractStore store, EvidenceStore evidence, CancellationToken cancellationToken) =>
        await store.FindAsync(id, contractId, cancellationToken) is { } document
            ? TypedResults.File(await evidence.OpenReadAsync(document.File.BlobName, cancellationToken), document.File.ContentType, document.File.FileName)
            : TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Contract not found / 契約書類が見つかりません", Detail = $"Vendor {id} has no contract document {contractId}." });

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Vendor not found / 委託先が見つかりません", Detail = $"There is no vendor {id}." });
}

/// <summary>A vendor's contract documents (latest start first) and what it lacks to become active.</summary>
public sealed record VendorContracts(IReadOnlyList<ContractDocument> Documents, IReadOnlyList<ActivationRequirement> MissingForActivation);
