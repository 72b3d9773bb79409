using FunctionsPortal.Audit;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Subcontractors;

/// <summary>
/// Our prior approval of a subcontracting, decided with the subcontractor's handling-method document in view: approval waits
/// for the document unless the approver says, with a reason, to approve without it (recorded on the approval and audited).
/// A refusal needs a reason; a declaration matching a registered vendor is linked, never approved.
/// </summary>
public sealed class PriorApprovalDecisions(VendorRegistry registry, HandlingDocuments documents, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Decides on the record read with <paramref name="etag"/> (null: the current one); throws <see cref="VendorValidationException"/> naming what is missing.</summary>
    public async Task<VendorView> DecideAsync(string id, string? etag, PriorApprovalRequest request, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = await registry.RecordAsync(id, cancellationToken) ?? throw new VendorNotFoundException(id);
        var status = request.Status ?? "";
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (current.Vendor.ParentId is null)
        {
            throw Invalid("priorApproval", "Only a subcontractor has a prior approval / 事前承認は再委託先のみです。");
        }

        if (status is not (ApprovalStatuses.Approved or ApprovalStatuses.Rejected))
        {
            throw Invalid("priorApproval.status", "Choose approve or reject / 承認するか、承認しないかを選んでください。");
        }

        if (status == ApprovalStatuses.Rejected && reason is null)
        {
            throw Invalid("priorApproval.reason", "Say why the subcontracting is not approved / 承認しない理由を記入してください。");
        }

        VendorRegistry.ThrowIfApprovingMatch(current.Vendor, status);
        var withoutDocument = false;
        if (status == ApprovalStatuses.Approved)
        {
            var document = await documents.OfAsync(id, cancellationToken);
            if (!document.Arrived && !request.WithoutDocument)
            {
                throw Invalid("handlingMethodDocument",
                    "The handling-method document has not arrived: wait for it, or approve without it and say why / 取扱方法の書面がまだ届いていません。到着を待つか、書面なしで承認する理由を記入してください。");
            }

            if (!document.Arrived && reason is null)
            {
                throw Invalid("priorApproval.reason", "Say why the subcontracting is approved without the handling-method document / 書面なしで承認する理由を記入してください。");
            }

            withoutDocument = !document.Arrived;
        }

        var decision = new PriorApproval(status, by, clock.GetUtcNow(), reason, withoutDocument ? true : null);
        var view = await registry.UpdateAsync(id, etag ?? current.ETag, current.Vendor with { PriorApproval = decision }, by, cancellationToken);
        if (withoutDocument)
        {
            await audit.AppendAsync(new AuditEntry(id, AuditActions.ApprovedWithoutDocument, by, id, After: new { reason, parent = current.Vendor.ParentId }), cancellationToken);
        }

        return view;
    }

    private static VendorValidationException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}
