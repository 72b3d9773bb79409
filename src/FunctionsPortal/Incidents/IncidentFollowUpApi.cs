using System.Security.Claims;
using FunctionsPortal.Audit;
using FunctionsPortal.Auth;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.Hosting;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>What staff do with an incident after it is recorded: the PPC report draft, the timeline, corrective actions.</summary>
internal static class IncidentFollowUpApi
{
    public static IEndpointRouteBuilder MapIncidentFollowUpApi(this IEndpointRouteBuilder endpoints)
    {
        var incidents = endpoints.MapGroup("/api/incidents").WithTags("Incidents").RequireAuthorization(StaffRoles.StaffPolicy);
        incidents.MapGet("/{id}/report.xlsx", ReportDraftAsync).WithName("DownloadIncidentReportDraft")
            .WithSummary("The PPC 漏えい等報告 form prefilled from the record (速報 until the preliminary report is recorded, then 確報), with the timeline; unknown fields read 要記入.");
        incidents.MapGet("/{id}/scope", ScopeAsync).WithName("GetIncidentScope")
            .WithSummary("Who else holds the data: every vendor and subcontractor with the incident's data categories, the vendor's systems or its storage countries outside Japan, plus the vendor's own subcontractors, with record counts.");
        incidents.MapGet("/{id}/timeline", TimelineAsync).WithName("GetIncidentTimeline")
            .WithSummary("What was done when, from the vendor's audit trail (records whose subject is the incident), oldest first.");
        incidents.MapPost("/{id}/corrective-actions", OpenActionAsync).WithName("OpenIncidentCorrectiveAction")
            .WithSummary("Opens a corrective action for the incident (request, dueOn?): on the vendor's latest survey, with a task on the board; the same request twice is one action.");
        return endpoints;
    }

    internal static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> ReportDraftAsync(
        string id, IncidentStore store, VendorStore vendors, AuditTrail audit, IncidentClock incidentClock, IOptions<IncidentOptions> options, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } incident)
        {
            return NotFound(id);
        }

        var vendor = await vendors.FindAsync(incident.VendorId, cancellationToken);
        var assessment = incidentClock.Assess(incident);
        var report = incident.Report;
        var draft = PpcReportDraft.Prefill(
            options.Value.Reporter, incident.Id, vendor?.Vendor.LegalName.Ja ?? incident.VendorId, vendor?.Vendor.CorporateNumber,
            report.Summary, report.DiscoveredAt, report.OccurredAt, incident.AwareAt,
            [.. report.DataCategories.Select(category => VendorVocabulary.DataCategoryLabel(category).Ja)], report.AffectedPeople,
            report.SensitiveData, report.FinancialHarm, report.UnlawfulPurpose, assessment.Triggers.Contains(IncidentTriggers.Over1000),
            report.Cause, report.MeasuresTaken, assessment.PreliminaryDueFrom, assessment.PreliminaryDueBy, assessment.FinalDueBy,
            incident.PrincipalNotifiedAt, incident.PreliminaryReportedAt);
        var timeline = await IncidentTimeline.BuildAsync(audit, incident.VendorId, incident.Id, cancellationToken);
        return TypedResults.File(PpcReportWorkbook.Write(draft, timeline), PpcReportWorkbook.ContentType, PpcReportWorkbook.FileName(draft));
    }

    /// <summary>
    /// The first-hour question. Storage in Japan is left out of the locations: nearly every vendor stores there, so it would
    /// list the registry; a foreign storage country, a system or a data category tells who else is exposed.
    /// </summary>
    internal static async Task<Results<Ok<VendorScopeResult>, NotFound<ProblemDetails>>> ScopeAsync(
        string id, IncidentStore store, VendorStore vendors, VendorScope scope, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } incident)
        {
            return NotFound(id);
        }

        var vendor = await vendors.FindAsync(incident.VendorId, cancellationToken);
        var query = new VendorScopeQuery
        {
            Categories = [.. incident.Report.DataCategories.Where(category => category != "none").Distinct(StringComparer.Ordinal)],
            Systems = [.. (vendor?.Vendor.CloudServices ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Take(VendorScope.MaxValues / 2)],
            Locations = [.. (vendor?.Vendor.Countries?.Storage ?? []).Where(country => !string.Equals(country, "JP", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).Select(country => $"storage:{country}").Take(VendorScope.MaxValues / 4)],
            VendorId = vendor is null ? null : incident.VendorId,
        };
        return TypedResults.Ok(await scope.FindAsync(query, cancellationToken));
    }

    internal static async Task<Results<Ok<IReadOnlyList<IncidentTimeline.Entry>>, NotFound<ProblemDetails>>> TimelineAsync(
        string id, IncidentStore store, AuditTrail audit, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } incident
            ? TypedResults.Ok(await IncidentTimeline.BuildAsync(audit, incident.VendorId, incident.Id, cancellationToken))
            : NotFound(id);

    internal static async Task<Results<Created<CorrectiveAction>, NotFound<ProblemDetails>, ValidationProblem, ProblemHttpResult>> OpenActionAsync(
        string id, JsonBody<IncidentActionRequest> request, IncidentStore store, IncidentFollowUp followUp, IncidentClock incidentClock, TimeProvider clock,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await store.FindAsync(id, cancellationToken) is not { } incident)
        {
            return NotFound(id);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Value.Request) || request.Value.Request.Trim().Length > 2000)
        {
            errors["request"] = ["Say what the vendor is asked to do (1–2,000 characters)."];
        }

        if (request.Value.DueOn is { } due && due <= IncidentClock.JapanDay(clock.GetUtcNow()))
        {
            errors["dueOn"] = ["The due date must be after today (Japan time)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var action = await followUp.OpenActionAsync(incident, request.Value.Request!, request.Value.DueOn, incidentClock.Assess(incident).Reportable, StaffRoles.NameOf(user), cancellationToken);
        return action is null
            ? TypedResults.Problem(title: "No survey to carry the action", detail: $"Vendor '{incident.VendorId}' has no survey in the last 13 months: send it one first, then open the action.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Created($"/api/corrective-actions/{action.Id}", action);
    }

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "No such incident", Detail = $"There is no incident '{id}'.", Status = 404 });
}

/// <summary>The body of <c>POST /api/incidents/{id}/corrective-actions</c>: what the vendor is asked to do, and by when (default by severity).</summary>
public sealed record IncidentActionRequest(string? Request, DateOnly? DueOn);
