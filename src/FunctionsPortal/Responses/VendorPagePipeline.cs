using FunctionsPortal.Evidence;
using FunctionsPortal.Responses.Pages;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Responses;

/// <summary>What the pages share per request: the stores, the clock, and how a page context is built.</summary>
internal sealed class VendorPagePipeline(
    VendorSessions sessions,
    IAntiforgery antiforgery,
    IOptions<SurveyOptions> surveyOptions,
    IOptions<EvidenceOptions> evidenceOptions,
    TimeProvider clock,
    AssignmentStore assignments,
    DraftStore drafts,
    EvidenceStore evidence,
    SubmissionStore submissions,
    SubmissionSealer sealer,
    SubcontractorDeclarations declarations)
{
    public AssignmentStore Assignments => assignments;

    public DraftStore Drafts => drafts;

    public SubmissionStore Submissions => submissions;

    public SubmissionSealer Sealer => sealer;

    public SubcontractorDeclarations Declarations => declarations;

    public TimeProvider Clock => clock;

    public EvidenceOptions EvidenceLimits => evidenceOptions.Value;

    public async Task<(VendorSession? Session, IResult? Problem)> OpenAsync(string token, HttpContext context, CancellationToken cancellationToken)
    {
        var (session, state) = await sessions.LoadAsync(token, cancellationToken);
        if (session is not null)
        {
            return (session, null);
        }

        var (status, ja, en) = state switch
        {
            LinkState.Expired => (410, "このリンクの有効期限が切れています。", "This link has expired."),
            LinkState.Superseded => (410, "このリンクは新しいリンクに置き換えられました。最新のメールのリンクをご利用ください。", "This link was replaced by a newer one: please use the link in our latest e-mail."),
            LinkState.Revoked => (410, "このリンクは無効になりました。", "This link has been withdrawn."),
            _ => (404, "このリンクは見つかりません。メールのリンクをそのままコピーしたかご確認ください。", "This link was not found. Please check that the whole link from the e-mail was copied."),
        };
        // The problem page knows nothing of any vendor, so it gets no token (no toggle back into the link).
        return (null, VendorPages.Render<LinkProblemPage>(new { Page = PageContext(context, null), Ja = ja, En = en }, status));
    }

    public VendorPageContext PageContext(HttpContext context, string? token)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new VendorPageContext(
            VendorPages.PrefersEnglish(context), tokens.FormFieldName, tokens.RequestToken ?? "", Flash.Read(context), surveyOptions.Value,
            context.Request.Path + context.Request.QueryString, token);
    }

    /// <summary>This vendor's most recent sealed answers of the same kind from an earlier assignment (last cycle).</summary>
    public async Task<SealedEnvelope?> PreviousAsync(VendorSession session, CancellationToken cancellationToken)
    {
        var record = await submissions.LatestForVendorAsync(session.Assignment.VendorId, session.Assignment.Kind, session.Key, cancellationToken);
        return record is null ? null : await sealer.ReadAsync(record.AssignmentKey, record.Version, cancellationToken);
    }

    /// <summary>Stores the files posted for the given items (<c>f.{item}</c>), each checked by content; returns those kept and why others were refused.</summary>
    public async Task<(List<EvidenceFile> Added, List<Notice> Refused)> StoreFilesAsync(
        VendorSession session, IFormCollection form, IReadOnlySet<string> itemIds, IReadOnlySet<string>? allowedTypes, CancellationToken cancellationToken)
    {
        var added = new List<EvidenceFile>();
        var refused = new List<Notice>();
        var used = session.Draft.EvidenceBytes;
        foreach (var file in form.Files.Where(file => file.Name.StartsWith("f.", StringComparison.Ordinal) && itemIds.Contains(file.Name[2..]) && file.Length > 0))
        {
            var itemId = file.Name[2..];
            await using var stream = file.OpenReadStream();
            var upload = await evidence.StoreAsync(session.Key, itemId, file.FileName, stream, used, cancellationToken);
            if (upload.File is { } stored && (allowedTypes is null || allowedTypes.Contains(stored.ContentType)))
            {
                added.Add(stored);
                used += stored.Size;
            }
            else if (upload.File is { } unwanted)
            {
                await evidence.DeleteAsync(unwanted.BlobName, cancellationToken);
                refused.Add(Notice.Error(itemId, $"「{file.FileName}」: PDFまたはWordのファイルを添付してください。", $"'{file.FileName}': attach a PDF or Word file."));
            }
            else
            {
                refused.Add(Notice.Error(itemId, $"「{file.FileName}」: {upload.Refusal!.MessageJa}", $"'{file.FileName}': {upload.Refusal!.MessageEn}"));
            }
        }

        return (added, refused);
    }

    /// <summary>Removed files go from storage too — unless a sealed version (this one's or last cycle's) still refers to them.</summary>
    public async Task DeleteRemovedAsync(VendorSession session, IReadOnlySet<string> removed, CancellationToken cancellationToken)
    {
        if (session.Assignment.SubmittedVersion is not null)
        {
            return;
        }

        foreach (var file in session.Draft.Evidence.Where(file => removed.Contains(file.Id) && file.BlobName.StartsWith(session.Key + "/", StringComparison.Ordinal)))
        {
            await evidence.DeleteAsync(file.BlobName, cancellationToken);
        }
    }

    public async Task MarkInProgressAsync(VendorSession session, CancellationToken cancellationToken)
    {
        if (session.Assignment.Status is AssignmentStatus.Invited or AssignmentStatus.Opened or AssignmentStatus.Overdue)
        {
            await assignments.TransitionAsync(session.Key, AssignmentStatus.InProgress, "vendor", "Answers saved", clock.GetUtcNow(), cancellationToken);
        }
    }

    public async Task<IResult> SealAsync(VendorSession session, HttpContext context, int revision, Officer officer, SealedDeclaration? declaration, CancellationToken cancellationToken)
    {
        var draft = session.Draft;
        if (session.IsOpen && draft.Revision != revision)
        {
            Flash.Write(context, [Notice.Error(null, "別の画面で回答が変更されました。内容を確認してから提出してください。", "The answers were changed in another window: please check them, then submit.")]);
            return TypedResults.Redirect(session.Url(session.IsHandlingMethod ? "/document" : "/review"));
        }

        if (session.IsOpen && !session.IsHandlingMethod && ReadinessCheck.Problems(session, draft) is { Count: > 0 })
        {
            return TypedResults.Redirect(session.Url("/review"));
        }

        var subcontractors = session.IsHandlingMethod ? null : await declarations.SealedListAsync(session.Vendor.Id, cancellationToken);
        var outcome = await sealer.SealAsync(new SealRequest(
            session.Assignment, draft, revision, session.Checklist, session.Profile, session.Vendor.Vendor.LegalName.Ja, session.Vendor.Vendor.CorporateNumber,
            officer, subcontractors, declaration), cancellationToken);
        switch (outcome.Status)
        {
            case SealStatus.Sealed or SealStatus.AlreadySealed:
                return TypedResults.Redirect(session.Url($"/receipts/{outcome.Envelope!.Payload.Version}"));
            case SealStatus.Conflict:
                Flash.Write(context, [Notice.Error(null, "同時に別の内容が提出されました。提出履歴をご確認ください。", "Different answers were submitted at the same moment: please check the submissions below.")]);
                return TypedResults.Redirect(session.Url());
            case SealStatus.NotOpen when outcome.Envelope is { } latest:
                // Submitted already (a second click that lost the race): show what was sealed.
                return TypedResults.Redirect(session.Url($"/receipts/{latest.Payload.Version}"));
            default:
                Flash.Write(context, [Notice.Error(null, "この調査は現在提出を受け付けていません。", "This survey is not taking submissions now.")]);
                return TypedResults.Redirect(session.Url());
        }
    }
}
