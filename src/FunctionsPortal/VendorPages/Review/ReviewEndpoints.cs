using FunctionsPortal.Hosting;
using FunctionsPortal.Checklists;
using FunctionsPortal.Responses;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.Surveys;
using FunctionsPortal.VendorPages.Shell;

namespace FunctionsPortal.VendorPages.Review;

/// <summary>Check everything, then the officer attests and submits (GET /v/{token}/review, POST /v/{token}/submit).</summary>
internal static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReview(this RouteGroupBuilder pages)
    {
        pages.MapGet("/review", ShowAsync);
        pages.MapPost("/submit", SubmitAsync);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(
        VendorSession session, VendorPageContext page, SubcontractorDeclarations declarations, SurveyPlanner planner, CancellationToken cancellationToken)
    {
        if (!session.IsOpen || session.Checklist is null)
        {
            return TypedResults.Redirect(session.Url());
        }

        return PageResults.Render(new ReviewView(
            page,
            session,
            session.VisibleSections(),
            ReadinessCheck.Problems(session, session.Draft, planner.Today()),
            await declarations.ListAsync(session.Vendor.Id, cancellationToken),
            session.Draft.Officer ?? DefaultOfficer(session)));
    }

    internal static async Task<IResult> SubmitAsync(
        [AsParameters] OfficerForm form, HttpContext context, VendorSession session, DraftStore drafts, VendorSealing sealing, CancellationToken cancellationToken)
    {
        var officer = form.Officer;
        if (form.Problems is { Count: > 0 } problems)
        {
            if (session.IsOpen)
            {
                await drafts.UpdateAsync(session, current => current.Officer == officer ? null : current with { Officer = officer }, cancellationToken);
            }

            Flash.Write(context, problems);
            return TypedResults.Redirect(session.Url("/review"));
        }

        return await sealing.SealAsync(session, context, form.ReviewedRevision, officer, declaration: null, cancellationToken);
    }

    /// <summary>Who attests when nobody was typed yet: the responsible officer our registry knows.</summary>
    internal static Officer? DefaultOfficer(VendorSession session) =>
        session.Vendor.Vendor.ResponsibleOfficer is { } person ? new Officer(person.Name, person.Title ?? "", person.Email) : null;
}

public sealed record ReviewView(
    VendorPageContext Page,
    VendorSession Session,
    IReadOnlyList<(ChecklistSection Section, IReadOnlyList<ChecklistItem> Items)> Sections,
    IReadOnlyList<Notice> Problems,
    IReadOnlyList<SubcontractorStatus> Subcontractors,
    Officer? Officer) : IVendorPageView<ReviewPage>;
