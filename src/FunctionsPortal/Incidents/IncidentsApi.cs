using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Incidents;

/// <summary>Incidents over the API, for staff and scripts: record one, read it with its PPC clock, list, record the reporting steps.</summary>
internal static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder endpoints)
    {
        var incidents = endpoints.MapGroup("/api/incidents").WithTags("Incidents").RequireAuthorization(StaffRoles.StaffPolicy);
        incidents.MapPost("", CreateAsync).WithName("CreateIncident")
            .WithSummary("Records an incident of a vendor (sealed as received; staff are mailed at once). awareAt defaults to now.");
        incidents.MapGet("", ListAsync).WithName("ListIncidents")
            .WithSummary("Open incidents (open=true) or one vendor's incidents (vendorId=…), each with its reporting clock.");
        incidents.MapGet("/{id}", GetAsync).WithName("GetIncident")
            .WithSummary("One incident with reportable, the triggers that hold, awareAt and the preliminary and final report deadlines.");
        incidents.MapPost("/{id}/preliminary-reported", PreliminaryReportedAsync).WithName("MarkIncidentPreliminaryReported")
            .WithSummary("Records that the preliminary report (速報) was made to the PPC (at: when; default now). If-Match: the incident's etag.");
        incidents.MapPost("/{id}/final-reported", FinalReportedAsync).WithName("MarkIncidentFinalReported")
            .WithSummary("Records that the final report (確報) was made to the PPC (at: when; default now). If-Match: the incident's etag.");
        incidents.MapPost("/{id}/close", CloseAsync).WithName("CloseIncident")
            .WithSummary("Closes the incident (it leaves the open list and its reminders stop). If-Match: the incident's etag.");
        return endpoints;
    }

    internal static async Task<Results<Created<IncidentView>, ValidationProblem>> CreateAsync(
        JsonBody<CreateIncidentRequest> request, IncidentReports reports, IncidentClock incidentClock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await reports.ReportByStaffAsync(request.Value.VendorId ?? "", request.Value.AwareAt, request.Value.Report!, StaffRoles.NameOf(user), cancellationToken, channel: IncidentChannels.Api);
        if (result.Incident is not { } incident)
        {
            return TypedResults.ValidationProblem(result.Errors
                .GroupBy(error => error.Field is "vendorId" or "awareAt" or "report" ? error.Field : $"report.{error.Field}", StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Select(error => error.En).ToArray(), StringComparer.Ordinal));
        }

        return TypedResults.Created($"/api/incidents/{incident.Id}", IncidentView.Of(incident, incidentClock));
    }

    internal static async Task<Results<Ok<IncidentView>, NotFound<ProblemDetails>>> GetAsync(string id, IncidentStore store, IncidentClock incidentClock, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } incident
            ? TypedResults.Ok(IncidentView.Of(incident, incidentClock))
            : NotFound(id);

    internal static async Task<Results<Ok<IReadOnlyList<IncidentView>>, ValidationProblem>> ListAsync(
        bool? open, string? vendorId, IncidentStore store, IncidentClock incidentClock, CancellationToken cancellationToken)
    {
        IReadOnlyList<Incident> found;
        if (!string.IsNullOrWhiteSpace(vendorId))
        {
            found = (await store.ListForVendorAsync(vendorId, cancellationToken)).Where(incident => open != true || incident.IsOpen).ToList();
        }
        else if (open == true)
        {
            found = await store.ListOpenAsync(cancellationToken);
        }
        else
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["open"] = ["Ask for open=true or for one vendor's incidents (vendorId=…)."] });
        }

        return TypedResults.Ok<IReadOnlyList<IncidentView>>([.. found.Select(incident => IncidentView.Of(incident, incidentClock))]);
    }

    internal static Task<Results<Ok<IncidentView>, NotFound<ProblemDetails>, ProblemHttpResult, ValidationProblem>> PreliminaryReportedAsync(
        string id, OptionalJsonBody<IncidentStepRequest> body, [FromHeader(Name = "If-Match")] string? ifMatch, IncidentReports reports, IncidentClock incidentClock,
        TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        StepAsync(id, body.Value, clock, incidentClock, at => reports.MarkPreliminaryReportedAsync(id, ifMatch, at, StaffRoles.NameOf(user), cancellationToken));

    internal static Task<Results<Ok<IncidentView>, NotFound<ProblemDetails>, ProblemHttpResult, ValidationProblem>> FinalReportedAsync(
        string id, OptionalJsonBody<IncidentStepRequest> body, [FromHeader(Name = "If-Match")] string? ifMatch, IncidentReports reports, IncidentClock incidentClock,
        TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        StepAsync(id, body.Value, clock, incidentClock, at => reports.MarkFinalReportedAsync(id, ifMatch, at, StaffRoles.NameOf(user), cancellationToken));

    internal static Task<Results<Ok<IncidentView>, NotFound<ProblemDetails>, ProblemHttpResult, ValidationProblem>> CloseAsync(
        string id, [FromHeader(Name = "If-Match")] string? ifMatch, IncidentReports reports, IncidentClock incidentClock, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        StepAsync(id, null, clock, incidentClock, _ => reports.CloseAsync(id, ifMatch, StaffRoles.NameOf(user), cancellationToken));

    private static async Task<Results<Ok<IncidentView>, NotFound<ProblemDetails>, ProblemHttpResult, ValidationProblem>> StepAsync(
        string id, IncidentStepRequest? body, TimeProvider clock, IncidentClock incidentClock, Func<DateTimeOffset?, Task<IncidentUpdate>> step)
    {
        if (body?.At > clock.GetUtcNow())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["at"] = ["The time cannot be in the future."] });
        }

        var update = await step(body?.At);
        return update switch
        {
            { Status: IncidentUpdateStatus.NotFound } => NotFound(id),
            { Status: IncidentUpdateStatus.Conflict } => TypedResults.Problem(
                title: "The incident changed", detail: "The incident is no longer at the etag sent in If-Match: read it again.", statusCode: StatusCodes.Status412PreconditionFailed),
            { Status: IncidentUpdateStatus.Unchanged, Incident: { IsOpen: false } } => TypedResults.Problem(
                title: "The incident is closed", detail: $"Incident '{id}' is closed; it takes no more steps.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Ok(IncidentView.Of(update.Incident!, incidentClock)),
        };
    }

    private static NotFound<ProblemDetails> NotFound(string id) =>
        TypedResults.NotFound(new ProblemDetails { Title = "No such incident", Detail = $"There is no incident '{id}'.", Status = 404 });
}

/// <summary>The body of <c>POST /api/incidents</c>.</summary>
public sealed record CreateIncidentRequest(string? VendorId, DateTimeOffset? AwareAt, IncidentReport? Report);

/// <summary>The optional body of a reporting step: when it was done (default now).</summary>
public sealed record IncidentStepRequest(DateTimeOffset? At);

/// <summary>An incident with its PPC reporting clock, as the API returns it.</summary>
public sealed record IncidentView(
    Incident Incident, bool Reportable, IReadOnlyList<string> Triggers, DateTimeOffset AwareAt,
    DateTimeOffset PreliminaryDueFrom, DateTimeOffset PreliminaryDueBy, DateTimeOffset FinalDueBy)
{
    public static IncidentView Of(Incident incident, IncidentClock incidentClock)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(incidentClock);
        var assessment = incidentClock.Assess(incident);
        return new IncidentView(incident, assessment.Reportable, assessment.Triggers, incident.AwareAt,
            assessment.PreliminaryDueFrom, assessment.PreliminaryDueBy, assessment.FinalDueBy);
    }
}
