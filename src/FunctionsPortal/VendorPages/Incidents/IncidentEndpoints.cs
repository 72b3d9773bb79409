using FunctionsPortal.Hosting;
using FunctionsPortal.Incidents;
using FunctionsPortal.Responses;
using FunctionsPortal.VendorPages.Shell;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.VendorPages.Incidents;

/// <summary>
/// A vendor reports an incident (漏えい等) through its link: the form (GET /v/{token}/incidents/new), the report
/// (POST /v/{token}/incidents, Post/Redirect/Get to its receipt), the receipt (GET /v/{token}/incidents/{id}) and the
/// vendor's own reports (GET /v/{token}/incidents). The report is the vendor's notice to us under the proviso of APPI
/// Art. 26 para. 1; the core records when it was received. Only incidents this vendor reported through a link exist here.
/// </summary>
internal static class IncidentEndpoints
{
    /// <summary>Five documents of 10 MB each, and the text around them.</summary>
    public const long UploadLimit = (IncidentDocuments.MaxFiles * IncidentDocuments.MaxFileBytes) + (1024 * 1024);

    public static RouteGroupBuilder MapIncidentReports(this RouteGroupBuilder pages)
    {
        pages.MapGet("/incidents", ListAsync);
        pages.MapGet("/incidents/new", New);
        pages.MapPost("/incidents", ReportAsync).WithMetadata(new RequestSizeLimitAttribute(UploadLimit)).WithFormOptions(multipartBodyLengthLimit: UploadLimit);
        pages.MapGet("/incidents/{id}", ShowAsync);
        return pages;
    }

    internal static async Task<IResult> ListAsync(VendorSession session, VendorPageContext page, IncidentStore store, CancellationToken cancellationToken)
    {
        var mine = (await store.ListForVendorAsync(session.Vendor.Id, cancellationToken)).Where(ReportedByVendor).OrderByDescending(incident => incident.ReportedAt).ToList();
        return PageResults.Render(new VendorIncidentsView(page, session, mine));
    }

    internal static IResult New(VendorSession session, VendorPageContext page) =>
        PageResults.Render(new VendorIncidentFormView(page, session, new IncidentReportForm()));

    internal static async Task<IResult> ReportAsync(
        IFormCollection form, HttpContext context, VendorSession session, IncidentReports reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        var input = IncidentReportForm.Read(form);
        var (report, _, checks) = input.ToReport(clock.GetUtcNow(), withAwareAt: false);
        var errors = checks.ToList();
        var files = form.Files.Where(file => file.Name == IncidentReportForm.Documents && file.Length > 0).ToList();
        if (errors.Count == 0)
        {
            var streams = files.Select(file => file.OpenReadStream()).ToList();
            try
            {
                var result = await reports.ReportByVendorAsync(session, report, [.. files.Select((file, i) => new IncidentUpload(file.FileName, streams[i]))], cancellationToken);
                if (result.Incident is { } incident)
                {
                    Flash.Write(context, [Notice.Info(
                        "ご報告を受け付けました。内容は封印して保存し、当社の担当者に通知しました。",
                        "Thank you: your report is sealed and stored, and our staff have been told.")]);
                    return TypedResults.Redirect(session.Url($"/incidents/{incident.Id}"));
                }

                errors.AddRange(result.Errors.Select(error => Notice.Error(error.Field, error.Ja, error.En)));
            }
            finally
            {
                foreach (var stream in streams)
                {
                    await stream.DisposeAsync();
                }
            }
        }

        // Nothing is kept from a refused report: the text comes back on the page, the files must be chosen again.
        if (files.Count > 0 && errors.All(error => error.ItemId != IncidentReportForm.Documents))
        {
            errors.Add(Notice.Error(IncidentReportForm.Documents, "お手数ですが、資料をもう一度選択してください。", "Please choose the documents again."));
        }

        var page = VendorPageContext.For(context, session.Token) with { Notices = errors };
        return PageResults.Render(new VendorIncidentFormView(page, session, input), StatusCodes.Status400BadRequest);
    }

    internal static async Task<IResult> ShowAsync(string id, VendorSession session, VendorPageContext page, IncidentStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } incident && incident.VendorId == session.Vendor.Id && ReportedByVendor(incident)
            ? PageResults.Render(new VendorIncidentReceiptView(page, session, incident))
            : PageResults.Render(new MessageView(page, "報告が見つかりません", "No such report",
                "お探しの報告は見つかりませんでした。一覧からお選びください。", "We could not find that report: please choose one from the list.",
                session.Url("/incidents")), StatusCodes.Status404NotFound);

    /// <summary>What staff recorded about the vendor stays with staff: the vendor sees the reports it made through a link.</summary>
    private static bool ReportedByVendor(Incident incident) => incident.Channel == IncidentChannels.VendorLink;
}

public sealed record VendorIncidentsView(VendorPageContext Page, VendorSession Session, IReadOnlyList<Incident> Incidents) : IVendorPageView<VendorIncidentsPage>;

/// <summary>The report form; <c>Form</c> holds what was typed when a refused report brings it back.</summary>
public sealed record VendorIncidentFormView(VendorPageContext Page, VendorSession Session, IncidentReportForm Form) : IVendorPageView<VendorIncidentFormPage>;

public sealed record VendorIncidentReceiptView(VendorPageContext Page, VendorSession Session, Incident Incident) : IVendorPageView<VendorIncidentReceiptPage>;
