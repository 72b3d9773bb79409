using FunctionsPortal.Hosting;
using FunctionsPortal.Responses;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.VendorPages.Review;

/// <summary>
/// Seals what the vendor reviewed and says where to go next: the receipt, or back to the page with the reason. Shared
/// by the survey's review page and a subcontractor's handling-method document.
/// </summary>
public sealed class VendorSealing(SubmissionSealer sealer, VendorRegistry registry, SurveyPlanner planner)
{
    public async Task<IResult> SealAsync(
        VendorSession session, HttpContext context, int revision, Officer officer, HandlingMethodDeclaration? declaration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var draft = session.Draft;
        if (session.IsOpen && draft.Revision != revision)
        {
            Flash.Write(context, [Notice.Error(null, "別の画面で回答が変更されました。内容を確認してから提出してください。", "The answers were changed in another window: please check them, then submit.")]);
            return TypedResults.Redirect(session.Url(session.IsHandlingMethod ? "/document" : "/review"));
        }

        if (session.IsOpen && !session.IsHandlingMethod && ReadinessCheck.Problems(session, draft, planner.Today()) is { Count: > 0 })
        {
            return TypedResults.Redirect(session.Url("/review"));
        }

        // A vendor's submission states its subcontractors as registered at this moment; a subcontractor's states none.
        var subcontractors = session.IsHandlingMethod
            ? null
            : (await registry.SubcontractorsOfAsync(session.Vendor.Id, cancellationToken)).OrderBy(child => child.Id, StringComparer.Ordinal).Select(SealedSubcontractor.From).ToList();
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
