using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.VendorPages.Shell;

namespace FunctionsPortal.VendorPages.Receipts;

/// <summary>
/// What was sealed, read back: the receipt and its JSON download, the submitted answers, and the vendor's own
/// documents. Only this assignment's versions: the key comes from the token, never from the URL.
/// </summary>
internal static class ReceiptEndpoints
{
    public static RouteGroupBuilder MapReceipts(this RouteGroupBuilder pages)
    {
        pages.MapGet("/receipts/{version:int}", ShowReceiptAsync);
        pages.MapGet("/receipts/{version:int}/download", DownloadReceiptAsync);
        pages.MapGet("/answers/{version:int}", ShowAnswersAsync);
        pages.MapGet("/evidence/{evidenceId}", DownloadEvidenceAsync);
        return pages;
    }

    internal static async Task<IResult> ShowReceiptAsync(int version, VendorSession session, VendorPageContext page, SubmissionSealer sealer, CancellationToken cancellationToken)
    {
        if (await sealer.FindAsync(session.Key, version, cancellationToken) is not { } envelope)
        {
            return TypedResults.Redirect(session.Url());
        }

        return PageResults.Render(new ReceiptView(
            page, envelope, session.Url($"/receipts/{version}/download"), session.Url($"/answers/{version}"), session.Url()));
    }

    internal static async Task<IResult> DownloadReceiptAsync(int version, VendorSession session, SubmissionStore submissions, CancellationToken cancellationToken)
    {
        var bytes = await submissions.ReadSealedAsync(session.Key, version, cancellationToken);
        return bytes is null
            ? TypedResults.NotFound()
            : TypedResults.File(bytes, "application/json", $"receipt-{session.Assignment.VendorId}-{session.Assignment.Cycle}-v{version}.json");
    }

    internal static async Task<IResult> ShowAnswersAsync(int version, VendorSession session, VendorPageContext page, SubmissionSealer sealer, CancellationToken cancellationToken)
    {
        if (await sealer.FindAsync(session.Key, version, cancellationToken) is not { } envelope)
        {
            return TypedResults.Redirect(session.Url());
        }

        var answers = envelope.Payload.Answers.ToDictionary(pair => pair.Key, pair => pair.Value.ToItemAnswer(), StringComparer.Ordinal);
        return PageResults.Render(new SubmittedAnswersView(page, envelope, session.VisibleSections(answers), session.Url($"/receipts/{version}")));
    }

    /// <summary>A vendor's own document (in the draft or in a sealed version), always as a download.</summary>
    internal static async Task<IResult> DownloadEvidenceAsync(
        string evidenceId, VendorSession session, SubmissionStore submissions, SubmissionSealer sealer, EvidenceStore evidence, CancellationToken cancellationToken)
    {
        var file = session.Draft.Evidence.FirstOrDefault(candidate => candidate.Id == evidenceId);
        if (file is null)
        {
            foreach (var record in await submissions.ListAsync(session.Key, cancellationToken))
            {
                var sealedFile = (await sealer.ReadAsync(session.Key, record.Version, cancellationToken)).Payload.Evidence.FirstOrDefault(candidate => candidate.Id == evidenceId);
                if (sealedFile is not null)
                {
                    file = new EvidenceFile(sealedFile.Id, sealedFile.ItemId, sealedFile.FileName, sealedFile.ContentType, sealedFile.Size, sealedFile.Sha256, sealedFile.BlobName, default);
                    break;
                }
            }
        }

        return file is null
            ? TypedResults.NotFound()
            : TypedResults.File(await evidence.OpenReadAsync(file.BlobName, cancellationToken), file.ContentType, file.FileName);
    }
}

public sealed record ReceiptView(VendorPageContext Page, SealedEnvelope Envelope, string DownloadUrl, string AnswersUrl, string HomeUrl) : IVendorPageView<ReceiptPage>;

public sealed record SubmittedAnswersView(
    VendorPageContext Page, SealedEnvelope Envelope, IReadOnlyList<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> Sections, string ReceiptUrl)
    : IVendorPageView<SubmittedAnswersPage>;
