using System.Security.Cryptography;
using FunctionsPortal.Audit;
using FunctionsPortal.Evidence;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Contracts;

/// <summary>
/// Records a signed contract document: the file through the evidence checks (streamed, typed from its bytes, macros and
/// encryption refused; only PDF or a scanned image kept), the row in the vendor's partition, an audit record, and — for
/// the 業務委託契約 with the latest start — the registry's contract period, through the registry's ETag update (so the
/// plan and anniversaries see it and the registry keeps the previous version). The caller's ETag is the registry
/// version the form was drawn from: a vendor changed meanwhile is a conflict and nothing is recorded.
/// </summary>
public sealed class ContractRecorder(ContractStore store, EvidenceStore evidence, VendorRegistry registry, AuditTrail audit, TimeProvider clock)
{
    /// <summary>What a signed document may be: a PDF, or a scan as an image.</summary>
    public static readonly IReadOnlySet<string> DocumentTypes = new HashSet<string>(
        [FileTypeSniffer.Pdf.ContentType, FileTypeSniffer.Png.ContentType, FileTypeSniffer.Jpeg.ContentType], StringComparer.Ordinal);

    public async Task<ContractOutcome> RecordAsync(
        string vendorId, string etag, ContractInput input, string? fileName, Stream? content, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = input.Validate();
        if (content is null)
        {
            errors["file"] = ["Attach the signed document (PDF) / 締結済みの書面（PDF）を添付してください。"];
        }

        if (errors.Count > 0)
        {
            return ContractOutcome.Invalid(errors);
        }

        var vendor = await registry.RecordAsync(vendorId, cancellationToken) ?? throw new VendorNotFoundException(vendorId);
        if (vendor.ETag != etag)
        {
            throw new ConcurrencyConflictException($"Vendor {vendorId} changed since the form was drawn.");
        }

        var upload = await evidence.StoreAsync(BlobKey(vendorId), input.Kind!, fileName ?? "contract.pdf", content!, 0, cancellationToken);
        if (!upload.Stored)
        {
            return ContractOutcome.Refused(upload.Refusal);
        }

        if (!DocumentTypes.Contains(upload.File.ContentType))
        {
            await evidence.DeleteAsync(upload.File.BlobName, cancellationToken);
            return ContractOutcome.Refused(new EvidenceRefusal(EvidenceRefusalReasons.Unsupported,
                "締結済みの書面は PDF（またはスキャン画像 PNG・JPEG）で添付してください。", "Attach the signed document as a PDF (or a scanned PNG or JPEG image)."));
        }

        var document = new ContractDocument(
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), vendorId, input.Kind!, input.SignedOn!.Value, input.StartOn!.Value, input.EndOn,
            input.Clauses, upload.File, by, clock.GetUtcNow());
        try
        {
            if (document.Kind == ContractKinds.Contract && await IsLatestContractAsync(document, cancellationToken))
            {
                // The registry decides under the ETag: a change made meanwhile throws before anything else is recorded.
                await registry.UpdateAsync(vendorId, etag, vendor.Vendor with { Contract = new ContractPeriod(document.StartOn, document.EndOn) }, by, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is ConcurrencyConflictException or VendorValidationException)
        {
            await evidence.DeleteAsync(upload.File.BlobName, cancellationToken);
            throw;
        }

        await store.AddAsync(document, cancellationToken);
        await audit.AppendAsync(new AuditEntry(vendorId, AuditActions.ContractRecorded, by, document.Id, After: new
        {
            document.Kind,
            document.SignedOn,
            document.StartOn,
            document.EndOn,
            missingClauses = document.Clauses.Missing.Select(clause => clause.Name).ToList(),
            file = new { document.File.FileName, document.File.Sha256, document.File.Size },
        }), cancellationToken);
        return ContractOutcome.Recorded(document);
    }

    /// <summary>Where a vendor's signed documents are kept inside the evidence container (never a survey's key: those have no "contracts~").</summary>
    public static string BlobKey(string vendorId) => "contracts~" + vendorId;

    private async Task<bool> IsLatestContractAsync(ContractDocument document, CancellationToken cancellationToken) =>
        (await store.ListAsync(document.VendorId, cancellationToken)).Where(other => other.Kind == ContractKinds.Contract).All(other => other.StartOn <= document.StartOn);
}

/// <summary>Recorded, or why not: invalid fields, or a file the checks refused (both answers for staff, not errors).</summary>
public sealed record ContractOutcome(ContractDocument? Document, IReadOnlyDictionary<string, string[]>? Errors, EvidenceRefusal? Refusal)
{
    public static ContractOutcome Recorded(ContractDocument document) => new(document, null, null);

    public static ContractOutcome Invalid(Dictionary<string, string[]> errors) => new(null, errors, null);

    public static ContractOutcome Refused(EvidenceRefusal refusal) => new(null, null, refusal);
}
