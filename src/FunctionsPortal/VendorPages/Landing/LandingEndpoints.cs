using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Hosting;
using FunctionsPortal.Responses;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.VendorPages.Shell;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.VendorPages.Landing;

/// <summary>Where the e-mailed link lands (GET /v/{token}/).</summary>
internal static class LandingEndpoints
{
    public static RouteGroupBuilder MapLanding(this RouteGroupBuilder pages)
    {
        pages.MapGet("/", ShowAsync);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(
        VendorSession session, VendorPageContext page, VendorProgress progress, SubmissionSealer sealer, AssignmentStore assignments,
        SubmissionStore submissions, SubcontractorDeclarations declarations, VendorStore vendors, CorrectiveActionStore actions, CancellationToken cancellationToken)
    {
        session = await progress.OpenedAsync(session, cancellationToken);

        // A submission sealed but not fully recorded (the process stopped in between) is finished here.
        if (session.IsOpen && await sealer.EnsureRecordedAsync(session.Assignment, session.Checklist, session.Profile, cancellationToken))
        {
            session = session with { Assignment = await assignments.FindAsync(session.Key, cancellationToken) ?? session.Assignment };
        }

        var parentName = "";
        if (session.IsHandlingMethod && session.Vendor.Vendor.ParentId is { } parentId)
        {
            // A point read: the registry's FindAsync computes every vendor's tier just to name one.
            parentName = (await vendors.FindAsync(parentId, cancellationToken))?.Vendor.LegalName.Ja ?? "";
        }

        // Last cycle's sealed answers make the questions they cover quicker (「今回も同じ」): the estimate counts them apart.
        var lastCycle = session.IsOpen && session.Checklist is not null
            ? (await sealer.LastCycleAsync(session.Assignment, cancellationToken))?.Payload.Answers
            : null;

        return PageResults.Render(new LandingView(
            page,
            session,
            await submissions.ListAsync(session.Key, cancellationToken),
            session.IsHandlingMethod ? [] : await declarations.ListAsync(session.Vendor.Id, cancellationToken),
            parentName)
        {
            // One range query: the vendor's corrective actions, for the way to them.
            OpenActions = (await actions.ListForVendorAsync(session.Vendor.Id, cancellationToken)).Count(action => action.IsOpen),
            Counts = LandingCounts.Of(session, lastCycle),
        });
    }
}

public sealed record LandingView(
    VendorPageContext Page, VendorSession Session, IReadOnlyList<SubmissionRecord> Submissions, IReadOnlyList<SubcontractorStatus> Subcontractors, string ParentName)
    : IVendorPageView<LandingPage>
{
    /// <summary>How many of the vendor's corrective actions are open (the landing leads to them).</summary>
    public int OpenActions { get; init; }

    /// <summary>Questions that apply, answered, left, and the time estimate.</summary>
    public LandingCounts Counts { get; init; } = new(0, 0, 0, 0, 0);
}
