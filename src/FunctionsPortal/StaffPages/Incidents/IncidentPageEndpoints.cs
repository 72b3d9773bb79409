using System.Globalization;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Incidents;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.VendorPages.Incidents;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Incidents;

/// <summary>
/// Incidents as staff work on them: the list with each reporting clock (GET /staff/incidents), one incident
/// (GET /staff/incidents/{id}) with the PPC steps — 速報 made, 確報 made, close — each a POST carrying the ETag the page
/// was drawn with (Post/Redirect/Get), and a report recorded from a vendor's page (/staff/vendors/{vendorId}/incidents/new).
/// Every change goes through the core's <see cref="IncidentReports"/>, as the API's do.
/// </summary>
internal static class IncidentPageEndpoints
{
    public static RouteGroupBuilder MapIncidentPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/incidents", ListAsync);
        pages.MapGet("/incidents/{id}", ShowAsync);
        pages.MapPost("/incidents/{id}/preliminary-reported", PreliminaryReportedAsync);
        pages.MapPost("/incidents/{id}/final-reported", FinalReportedAsync);
        pages.MapPost("/incidents/{id}/close", CloseAsync);
        pages.MapPost("/incidents/{id}/corrective-actions", OpenActionAsync);
        pages.MapGet("/vendors/{vendorId}/incidents/new", NewAsync);
        pages.MapPost("/vendors/{vendorId}/incidents", ReportAsync)
            .WithMetadata(new RequestSizeLimitAttribute(IncidentEndpoints.UploadLimit)).WithFormOptions(multipartBodyLengthLimit: IncidentEndpoints.UploadLimit);
        return pages;
    }

    public const string ListUrl = "/staff/incidents";

    public static string Url(string id) => $"/staff/incidents/{Uri.EscapeDataString(id)}";

    public static string NewUrl(string vendorId) => $"/staff/vendors/{Uri.EscapeDataString(vendorId)}/incidents/new";

    internal static async Task<IResult> ListAsync(
        StaffPageContext page, IncidentStore store, ClosedIncidents closed, VendorStore vendors, IncidentClock incidentClock, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var openTask = store.ListOpenAsync(cancellationToken);
        var closedTask = closed.RecentAsync(now, cancellationToken);
        var open = (await openTask).Select(incident => IncidentDeadlines.Of(incident, incidentClock, now))
            .OrderBy(deadlines => deadlines.NextDue ?? DateOnly.MaxValue).ThenBy(deadlines => deadlines.Incident.AwareAt).ToList();
        var done = (await closedTask).OrderByDescending(incident => incident.ClosedAt).ToList();
        // One point read per vendor named (incidents are few; the registry's list would read far more).
        var names = await Task.WhenAll(open.Select(deadlines => deadlines.Incident.VendorId).Concat(done.Select(incident => incident.VendorId)).Distinct(StringComparer.Ordinal)
            .Select(async vendorId => (vendorId, (await vendors.FindAsync(vendorId, cancellationToken))?.Vendor.LegalName)));
        return PageResults.Render(new StaffIncidentListView(page, open, done, names.ToDictionary(pair => pair.vendorId, pair => pair.Item2, StringComparer.Ordinal)));
    }

    internal static async Task<IResult> ShowAsync(
        string id, StaffPageContext page, IncidentStore store, VendorStore vendors, IncidentClock incidentClock, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } incident)
        {
            return NotFound(page, id);
        }

        var vendor = await vendors.FindAsync(incident.VendorId, cancellationToken);
        return PageResults.Render(new StaffIncidentView(page, IncidentDeadlines.Of(incident, incidentClock, clock.GetUtcNow()), vendor?.Vendor.LegalName, incidentClock.Rules));
    }

    internal static Task<IResult> PreliminaryReportedAsync(
        string id, [AsParameters] IncidentStepForm form, HttpContext context, IncidentReports reports, TimeProvider clock, CancellationToken cancellationToken) =>
        StepAsync(id, form, context, clock, "preliminary", at => reports.MarkPreliminaryReportedAsync(id, Drawn(form), at, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("速報（個人情報保護委員会への報告）を記録しました。", "The preliminary report to the PPC is recorded."));

    internal static Task<IResult> FinalReportedAsync(
        string id, [AsParameters] IncidentStepForm form, HttpContext context, IncidentReports reports, TimeProvider clock, CancellationToken cancellationToken) =>
        StepAsync(id, form, context, clock, "final", at => reports.MarkFinalReportedAsync(id, Drawn(form), at, StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("確報（個人情報保護委員会への報告）を記録しました。", "The final report to the PPC is recorded."));

    internal static Task<IResult> CloseAsync(
        string id, [AsParameters] IncidentStepForm form, HttpContext context, IncidentReports reports, TimeProvider clock, CancellationToken cancellationToken) =>
        StepAsync(id, form with { At = null }, context, clock, "close", _ => reports.CloseAsync(id, Drawn(form), StaffRoles.NameOf(context.User), cancellationToken),
            Notice.Info("この事故・漏えい等を完了にしました。", "The incident is closed."));

    /// <summary>A corrective action from the incident (the same rules as the API's); on success, its page.</summary>
    internal static async Task<IResult> OpenActionAsync(
        string id, [AsParameters] IncidentActionForm form, HttpContext context, IncidentStore store, IncidentFollowUp followUp, IncidentClock incidentClock,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } incident)
        {
            return NotFound(StaffPageContext.For(context), id);
        }

        var request = form.Request?.Trim();
        if (string.IsNullOrEmpty(request) || request.Length > 2000)
        {
            return Redirect(id, context, Notice.Error("action-request", "依頼内容を入力してください（2,000文字まで）。", "Say what the vendor is asked to do (up to 2,000 characters)."));
        }

        DateOnly? dueOn = null;
        if (!string.IsNullOrWhiteSpace(form!.DueOn))
        {
            if (!DateOnly.TryParseExact(form.DueOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due) || due <= IncidentClock.JapanDay(clock.GetUtcNow()))
            {
                return Redirect(id, context, Notice.Error("action-due", "期限は明日以降の日付にしてください。", "The due date must be after today."));
            }

            dueOn = due;
        }

        var action = await followUp.OpenActionAsync(incident, request, dueOn, incidentClock.Assess(incident).Reportable, StaffRoles.NameOf(context.User), cancellationToken);
        if (action is null)
        {
            return Redirect(id, context, Notice.Error("action-request", "この委託先には直近13か月の調査がないため、是正措置を載せられません。先に調査を送ってください。",
                "The vendor has no survey in the last 13 months to carry the action: send it one first."));
        }

        Flash.Write(context, [Notice.Info("是正措置を起票しました（タスクも作成されます）。", "Corrective action opened (its task follows).")]);
        return TypedResults.Redirect(CorrectiveActions.CorrectiveActionEndpoints.Url(action.Id));
    }

    internal static async Task<IResult> NewAsync(string vendorId, StaffPageContext page, VendorStore vendors, CancellationToken cancellationToken) =>
        await vendors.FindAsync(vendorId, cancellationToken) is { } vendor
            ? PageResults.Render(new StaffIncidentFormView(page, vendor, new IncidentReportForm()))
            : NoVendor(page, vendorId);

    internal static async Task<IResult> ReportAsync(
        string vendorId, IFormCollection form, HttpContext context, VendorStore vendors, IncidentReports reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await vendors.FindAsync(vendorId, cancellationToken) is not { } vendor)
        {
            return NoVendor(StaffPageContext.For(context), vendorId);
        }

        var input = IncidentReportForm.Read(form);
        var (report, awareAt, checks) = input.ToReport(clock.GetUtcNow(), withAwareAt: true);
        var errors = checks.ToList();
        var files = form.Files.Where(file => file.Name == IncidentReportForm.Documents && file.Length > 0).ToList();
        if (errors.Count == 0)
        {
            var streams = files.Select(file => file.OpenReadStream()).ToList();
            try
            {
                var result = await reports.ReportByStaffAsync(
                    vendor.Id, awareAt, report, StaffRoles.NameOf(context.User), cancellationToken, [.. files.Select((file, i) => new IncidentUpload(file.FileName, streams[i]))]);
                if (result.Incident is { } incident)
                {
                    Flash.Write(context, [Notice.Info("事故・漏えい等を記録しました（封印済み・担当者に通知済み）。", "Incident recorded (sealed; staff are mailed).")]);
                    return TypedResults.Redirect(Url(incident.Id));
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

        if (files.Count > 0 && errors.All(error => error.ItemId != IncidentReportForm.Documents))
        {
            errors.Add(Notice.Error(IncidentReportForm.Documents, "資料をもう一度選択してください。", "Choose the documents again."));
        }

        var page = StaffPageContext.For(context) with { Notices = errors };
        return PageResults.Render(new StaffIncidentFormView(page, vendor, input), StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> StepAsync(
        string id, IncidentStepForm form, HttpContext context, TimeProvider clock, string step, Func<DateTimeOffset?, Task<IncidentUpdate>> change, Notice done)
    {
        DateTimeOffset? at = null;
        if (!string.IsNullOrWhiteSpace(form.At))
        {
            if (!DateTime.TryParseExact(form.At.Trim(), IncidentReportForm.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local) || local.Year < 1900
                || new DateTimeOffset(local, PageText.Japan) > clock.GetUtcNow())
            {
                return Redirect(id, context, Notice.Error($"{step}-at", "報告した日時が正しくありません（未来の日時は入力できません）。", "The time of the report is not valid (it cannot be in the future)."));
            }

            at = new DateTimeOffset(local, PageText.Japan);
        }

        var update = await change(at);
        return update.Status switch
        {
            IncidentUpdateStatus.NotFound => TypedResults.NotFound(),
            IncidentUpdateStatus.Changed => Redirect(id, context, done),
            IncidentUpdateStatus.Conflict => Redirect(id, context, Notice.Error(null,
                "この間に他の担当者が変更しました。最新の内容を確認して、もう一度操作してください。", "Someone else changed this incident meanwhile: check it and try again.")),
            _ => Redirect(id, context, Notice.Error(null, "記録済みか、現在の状況ではこの操作はできません。", "Already recorded, or not possible in the incident's current status.")),
        };
    }

    /// <summary>The ETag the form was drawn with; a form without one (hand-made) never matches.</summary>
    private static string Drawn(IncidentStepForm form) => string.IsNullOrWhiteSpace(form.ETag) ? "\"none\"" : form.ETag;

    private static IResult Redirect(string id, HttpContext context, Notice notice)
    {
        Flash.Write(context, [notice]);
        return TypedResults.Redirect(Url(id) + "#steps");
    }

    private static IResult NotFound(StaffPageContext page, string id) =>
        PageResults.Render(new StaffMessageView(page, "事故・漏えい等が見つかりません", "No such incident", $"「{id}」という記録はありません。", $"There is no incident '{id}'."),
            StatusCodes.Status404NotFound);

    private static IResult NoVendor(StaffPageContext page, string vendorId) =>
        PageResults.Render(new StaffMessageView(page, "委託先が見つかりません", "No such vendor", $"「{vendorId}」という委託先は登録されていません。", $"There is no vendor '{vendorId}'."),
            StatusCodes.Status404NotFound);
}

public sealed record StaffIncidentListView(
    StaffPageContext Page, IReadOnlyList<IncidentDeadlines> Open, IReadOnlyList<Incident> Closed, IReadOnlyDictionary<string, LocalizedName?> VendorNames)
    : IStaffPageView<IncidentListPage>;

public sealed record StaffIncidentView(StaffPageContext Page, IncidentDeadlines Clock, LocalizedName? VendorName, IncidentRules Rules) : IStaffPageView<IncidentPage>;

public sealed record StaffIncidentFormView(StaffPageContext Page, VendorRecord Vendor, IncidentReportForm Form) : IStaffPageView<IncidentReportPage>;

/// <summary>A reporting step's form: the incident's ETag as drawn, and when it was done (datetime-local, Japan time; blank: now).</summary>
/// <summary>The corrective-action form on an incident's page: what the vendor is asked to do, and by when (yyyy-MM-dd; empty: by severity).</summary>
public sealed record IncidentActionForm
{
    [FromForm]
    public string? Request { get; init; }

    [FromForm]
    public string? DueOn { get; init; }
}

public sealed record IncidentStepForm
{
    [FromForm]
    public string? ETag { get; init; }

    [FromForm]
    public string? At { get; init; }
}
