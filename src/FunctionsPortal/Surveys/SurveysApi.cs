using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Surveys;

/// <summary>/api/campaigns and /api/assignments: launch (with a dry run), follow, and correct surveys.</summary>
internal static class SurveysApi
{
    public static IEndpointRouteBuilder MapSurveysApi(this IEndpointRouteBuilder endpoints)
    {
        var campaigns = endpoints.MapGroup("/api/campaigns").WithTags("Surveys").RequireAuthorization(StaffRoles.StaffPolicy);
        campaigns.MapGet("/", ListCampaignsAsync).WithName("ListCampaigns");
        campaigns.MapGet("/{id}/delivery", CampaignDelivery.GetAsync).WithName("GetCampaignDelivery").WithSummary("Where the campaign's mail stands: by state, held back by a sending limit (waiting for a later day included), sent per mailbox.");
        campaigns.MapPost("/", LaunchAsync).WithName("LaunchCampaign").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Launch a campaign; dryRun=true only lists who would receive it and any recipient problem.");

        var assignments = endpoints.MapGroup("/api/assignments").WithTags("Surveys").RequireAuthorization(StaffRoles.StaffPolicy);
        assignments.MapGet("/", ListAsync).WithName("ListAssignments");
        assignments.MapGet("/{key}", GetAsync).WithName("GetAssignment").WithSummary("An assignment with its status history, link expiry and every mail sent for it.");
        assignments.MapPost("/{key}/resend", ResendAsync).WithName("ResendLink").RequireAuthorization(StaffRoles.AdminPolicy)
            .WithSummary("Mail a new link; the previous link stops working.");
        assignments.MapPost("/{key}/revoke-link", RevokeAsync).WithName("RevokeLink").RequireAuthorization(StaffRoles.AdminPolicy);
        assignments.MapPost("/{key}/cancel", CancelAsync).WithName("CancelAssignment").RequireAuthorization(StaffRoles.AdminPolicy);
        assignments.MapPut("/{key}/due-date", MoveDueDateAsync).WithName("MoveDueDate").RequireAuthorization(StaffRoles.AdminPolicy);
        return endpoints;
    }

    internal static async Task<Ok<IReadOnlyList<Campaign>>> ListCampaignsAsync(CampaignStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(activeOnly: false, cancellationToken));

    internal static async Task<Results<Ok<CampaignPreview>, Created<CampaignLaunch>, ValidationProblem>> LaunchAsync(
        JsonBody<CampaignRequest> request, CampaignRequests requests, SurveyPlanner planner, ClaimsPrincipal user, CancellationToken cancellationToken, bool dryRun = false)
    {
        var (campaign, errors) = await requests.BuildAsync(request.Value, StaffRoles.NameOf(user), cancellationToken);
        if (campaign is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The campaign has invalid fields / 入力内容に誤りがあります");
        }

        if (dryRun)
        {
            return TypedResults.Ok(CampaignPreview.Of(await planner.PreviewAsync(campaign, cancellationToken)));
        }

        var outcome = await requests.LaunchAsync(campaign, cancellationToken);
        return TypedResults.Created($"/api/assignments?cycle={campaign.Id}", new CampaignLaunch(campaign, outcome.Report, outcome.AlreadySurveyed.Select(RecipientPreview.Of).ToList()));
    }

    /// <summary>
    /// A cycle's assignments (one partition), or one vendor's across the cycles it can have been asked in lately (a key
    /// range per cycle) — never a scan of every cycle, so a cycle or a vendor must be named.
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<Assignment>>, ValidationProblem>> ListAsync(
        AssignmentStore store, TimeProvider clock, CancellationToken cancellationToken,
        string? cycle = null, string? vendorId = null, string? status = null, string? kind = null, int? limit = null)
    {
        var take = Math.Clamp(limit ?? 500, 1, 5000);
        if (!string.IsNullOrEmpty(cycle))
        {
            return TypedResults.Ok(await store.ListAsync(new AssignmentQuery(cycle, vendorId, status, kind, null, take), cancellationToken));
        }

        if (string.IsNullOrEmpty(vendorId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cycle"] = ["Name a cycle or a vendor (cycle= or vendorId=) / 調査サイクルか委託先IDを指定してください。"],
            });
        }

        var recent = await store.ListForVendorAsync(vendorId, clock.GetUtcNow().AddMonths(-13), cancellationToken);
        return TypedResults.Ok((IReadOnlyList<Assignment>)recent
            .Where(assignment => (status is null || assignment.Status == status) && (kind is null || assignment.Kind == kind))
            .Take(take)
            .ToList());
    }

    internal static async Task<Results<Ok<AssignmentDetails>, NotFound<ProblemDetails>>> GetAsync(string key, AssignmentStore store, MailOutbox outbox, SurveyLinks links, CancellationToken cancellationToken)
    {
        var assignment = await store.FindAsync(key, cancellationToken);
        return assignment is null
            ? AssignmentProblems.NotFound(key)
            : TypedResults.Ok(new AssignmentDetails(assignment, assignment.CurrentLinkHash is null ? null : links.ExpiresAt(assignment), await outbox.ListAsync(key, cancellationToken)));
    }

    internal static async Task<Results<Accepted, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResendAsync(
        string key, AssignmentActions actions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await actions.ResendAsync(key, StaffRoles.NameOf(user), cancellationToken) switch
        {
            { Refusal: { } refusal } => AssignmentProblems.NotPossibleNow(refusal),
            { Assignment: null } => AssignmentProblems.NotFound(key),
            _ => TypedResults.Accepted($"/api/assignments/{key}"),
        };

    internal static async Task<Results<NoContent, NotFound<ProblemDetails>>> RevokeAsync(string key, AssignmentActions actions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await actions.RevokeLinkAsync(key, StaffRoles.NameOf(user), cancellationToken)).Assignment is null ? AssignmentProblems.NotFound(key) : TypedResults.NoContent();

    internal static async Task<Results<Ok<Assignment>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> CancelAsync(
        string key, JsonBody<ReasonRequest> request, AssignmentActions actions, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Decided(key, await actions.CancelAsync(key, request.Value.Reason, StaffRoles.NameOf(user), cancellationToken));

    internal static async Task<Results<Ok<Assignment>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>>> MoveDueDateAsync(
        string key, JsonBody<DueDateRequest> request, AssignmentActions actions, SurveyPlanner planner, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request.Value.DueOn <= planner.Today())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dueOn"] = ["The new due date must be in the future."] });
        }

        return await actions.MoveDueDateAsync(key, request.Value.DueOn, request.Value.Reason, StaffRoles.NameOf(user), cancellationToken) switch
        {
            { Refusal: { } refusal } => AssignmentProblems.NotPossibleNow(refusal),
            { Assignment: { } moved } => TypedResults.Ok(moved),
            _ => AssignmentProblems.NotFound(key),
        };
    }

    private static Results<Ok<Assignment>, NotFound<ProblemDetails>, Conflict<ProblemDetails>> Decided(string key, AssignmentActionResult result) => result switch
    {
        { Refusal: { } refusal } => AssignmentProblems.NotPossibleNow(refusal),
        { Assignment: { } assignment } => TypedResults.Ok(assignment),
        _ => AssignmentProblems.NotFound(key),
    };
}

public sealed record CampaignRequest(string? Name, string? Kind, string? ChecklistId, int? ChecklistVersion, DateOnly? DueOn, int? DueDays, CampaignTarget? Target);

/// <summary>A dry run: every recipient; AlreadySurveyed of them would be skipped (their period is held by another survey, named per vendor).</summary>
public sealed record CampaignPreview(int Recipients, int WithProblems, IReadOnlyList<RecipientPreview> Vendors, int AlreadySurveyed)
{
    /// <summary>What a dry run says: who would be asked, who cannot be reached, who is surveyed this period already.</summary>
    public static CampaignPreview Of(IReadOnlyList<CampaignRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        return new(recipients.Count, recipients.Count(recipient => recipient.Problem is not null), recipients.Select(RecipientPreview.Of).ToList(),
            recipients.Count(recipient => recipient.AlreadySurveyedBy is not null));
    }
}

/// <summary>One recipient; AlreadySurveyedBy names the survey that holds its plan period (then it gets no new one).</summary>
public sealed record RecipientPreview(string VendorId, string NameJa, string? Email, string? Problem, SurveyedBy? AlreadySurveyedBy)
{
    public static RecipientPreview Of(CampaignRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return new(recipient.VendorId, recipient.NameJa, recipient.Email, recipient.Problem, recipient.AlreadySurveyedBy);
    }
}

/// <summary>A launch: the campaign, what was created and queued, and each recipient skipped with the survey that already holds its period.</summary>
public sealed record CampaignLaunch(Campaign Campaign, PlanReport Report, IReadOnlyList<RecipientPreview> Skipped);

public sealed record AssignmentDetails(Assignment Assignment, DateTimeOffset? LinkExpiresAt, IReadOnlyList<MailRecord> Mails);

public sealed record ReasonRequest(string? Reason);

public sealed record DueDateRequest(DateOnly DueOn, string? Reason);
