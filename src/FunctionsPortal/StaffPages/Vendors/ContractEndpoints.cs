using FunctionsPortal.Auth;
using FunctionsPortal.Contracts;
using FunctionsPortal.Evidence;
using FunctionsPortal.Hosting;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>
/// From a vendor's page: administrators record a signed contract document (業務委託契約 or 覚書) and a certificate's new
/// expiry date; any staff member downloads a signed document. The forms carry the registry ETag they were drawn with,
/// like the other vendor-edit forms; Post/Redirect/Get with the outcome as a notice.
/// </summary>
internal static class ContractEndpoints
{
    public static RouteGroupBuilder MapContractChanges(this RouteGroupBuilder pages)
    {
        var uploadLimit = ContractsApi.UploadLimit(((IEndpointRouteBuilder)pages).ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value);
        pages.MapPost("/vendors/{id}/contracts", RecordAsync).RequireAuthorization(StaffRoles.AdminPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(uploadLimit)).WithFormOptions(multipartBodyLengthLimit: uploadLimit);
        pages.MapGet("/vendors/{id}/contracts/{contractId}", DownloadAsync);
        pages.MapPost("/vendors/{id}/certificates", SetExpiryAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        return pages;
    }

    internal static async Task<IResult> RecordAsync(
        string id, [AsParameters] ContractInput input, [FromForm(Name = "etag")] string? etag, HttpContext context, ContractRecorder recorder, CancellationToken cancellationToken)
    {
        var back = VendorEndpoints.Url(id) + "#contracts-title";

        // Read from the form already bound (and its token checked): a file parameter would answer any other form with 415.
        var file = context.Request.Form.Files.GetFile("file");
        try
        {
            await using var content = file is { Length: > 0 } ? file.OpenReadStream() : null;
            var outcome = await recorder.RecordAsync(id, etag ?? "", input, file?.FileName, content, StaffRoles.NameOf(context.User), cancellationToken);
            Flash.Write(context, outcome switch
            {
                { Document: { } document } => [Notice.Info($"{ContractKinds.Label(document.Kind).Ja}を登録しました。", $"{ContractKinds.Label(document.Kind).En} recorded.")],
                { Refusal: { } refusal } => [Notice.Error("contract-file", refusal.MessageJa, refusal.MessageEn)],
                _ => outcome.Errors!.Select(error => Notice.Error("contract-" + error.Key, "入力内容に誤りがあります: " + string.Join(" ", error.Value), "Invalid: " + string.Join(" ", error.Value))),
            });
        }
        catch (VendorNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (VendorValidationException exception)
        {
            Flash.Write(context, [.. exception.Errors.Select(error => Notice.Error(error.Key, "入力内容に誤りがあります: " + string.Join(" ", error.Value), "Invalid: " + string.Join(" ", error.Value)))]);
        }
        catch (ConcurrencyConflictException)
        {
            Flash.Write(context, [Notice.Error(null, "この間に他の担当者が委託先を変更しました。最新の内容を確認して、もう一度登録してください。", "Someone else changed this vendor meanwhile: check the current record and record the document again.")]);
        }

        return TypedResults.Redirect(back);
    }

    internal static async Task<IResult> DownloadAsync(string id, string contractId, ContractStore store, EvidenceStore evidence, CancellationToken cancellationToken) =>
        await store.FindAsync(id, contractId, cancellationToken) is { } document
            ? TypedResults.File(await evidence.OpenReadAsync(document.File.BlobName, cancellationToken), document.File.ContentType, document.File.FileName)
            : TypedResults.NotFound();

    /// <summary>The renewed certificate's expiry date (or its removal of an unknown one's: an empty date keeps it unknown).</summary>
    internal static async Task<IResult> SetExpiryAsync(string id, [AsParameters] CertificateExpiryForm form, HttpContext context, VendorRegistry registry, CancellationToken cancellationToken)
    {
        var back = VendorEndpoints.Url(id) + "#certificates-title";
        if (form.ExpiresOn is not { } expiresOn || form.Index is not { } index)
        {
            Flash.Write(context, [Notice.Error("certificate-expires", "新しい有効期限を入力してください。", "Enter the new expiry date.")]);
            return TypedResults.Redirect(back);
        }

        try
        {
            var current = await registry.FindAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
            if (index < 0 || index >= current.Vendor.Certifications.Count)
            {
                return TypedResults.Redirect(back);
            }

            var certifications = current.Vendor.Certifications.ToList();
            certifications[index] = certifications[index] with { ExpiresOn = expiresOn, Number = string.IsNullOrWhiteSpace(form.Number) ? certifications[index].Number : form.Number.Trim() };
            await registry.UpdateAsync(id, string.IsNullOrWhiteSpace(form.ETag) ? throw new ConcurrencyConflictException("The form carried no ETag.") : form.ETag,
                current.Vendor with { Certifications = certifications }, StaffRoles.NameOf(context.User), cancellationToken);
            Flash.Write(context, [Notice.Info("認証の有効期限を更新しました（以前の版は保存されています）。", "Certificate expiry recorded (the previous version is kept).")]);
        }
        catch (VendorNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (VendorValidationException exception)
        {
            Flash.Write(context, [.. exception.Errors.Select(error => Notice.Error(error.Key, "入力内容に誤りがあります: " + string.Join(" ", error.Value), "Invalid: " + string.Join(" ", error.Value)))]);
        }
        catch (ConcurrencyConflictException)
        {
            Flash.Write(context, [Notice.Error(null, "この間に他の担当者が委託先を変更しました。最新の内容を確認して、もう一度変更してください。", "Someone else changed this vendor meanwhile: check the current record and apply your change again.")]);
        }

        return TypedResults.Redirect(back);
    }
}

public sealed record CertificateExpiryForm
{
    [FromForm]
    public string? ETag { get; init; }

    /// <summary>The certificate's position in the vendor's list, as the page drew it (the ETag keeps the list the same).</summary>
    [FromForm]
    public int? Index { get; init; }

    [FromForm]
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>The renewed certificate's number, when it changed.</summary>
    [FromForm]
    public string? Number { get; init; }
}
