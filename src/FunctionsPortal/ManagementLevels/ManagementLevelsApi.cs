using System.Security.Claims;
using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FunctionsPortal.ManagementLevels;

/// <summary>A vendor's management level over the API: read it; a reviewer sets it with a reason; staff record an incident.</summary>
internal static class ManagementLevelsApi
{
    public static IEndpointRouteBuilder MapManagementLevelsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/vendors/{id}/management-level").WithTags("Management levels").RequireAuthorization(StaffRoles.StaffPolicy);
        group.MapGet("", GetAsync).WithName("GetManagementLevel")
            .WithSummary("The vendor's level (normal, II, I), its managed period, occurrences, scheduled checks and effectiveness checks.");
        group.MapPut("", DecideAsync).WithName("SetManagementLevel")
            .WithSummary("A reviewer's decision: level I, II or normal, with a mandatory reason (a managed period starts today).");
        group.MapPost("/occurrences", RecordAsync).WithName("RecordOccurrence")
            .WithSummary("Record an occurrence (an incident reported by or about the vendor, for instance): the level follows seed 004's rules.");
        return endpoints;
    }

    internal static async Task<Ok<VendorManagement>> GetAsync(string id, ManagementTracker tracker, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tracker.GetAsync(id, cancellationToken));

    internal static async Task<Results<Ok<VendorManagement>, ValidationProblem>> DecideAsync(
        string id, JsonBody<LevelDecision> decision, ManagementTracker tracker, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (decision.Value.Level is not (Levels.LevelI or Levels.LevelII or Levels.Normal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["level"] = ["The level is I, II or normal."] });
        }

        if (string.IsNullOrWhiteSpace(decision.Value.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required / 理由を記入してください。"] });
        }

        return TypedResults.Ok(await tracker.DecideAsync(id, decision.Value.Level, decision.Value.Reason, StaffRoles.NameOf(user), cancellationToken));
    }

    internal static async Task<Results<Ok<VendorManagement>, ValidationProblem>> RecordAsync(
        string id, JsonBody<OccurrenceReport> report, ManagementTracker tracker, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!OccurrenceKinds.All.Contains(report.Value.Kind ?? "") || string.IsNullOrWhiteSpace(report.Value.Reference))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["kind"] = [$"kind is one of {string.Join(", ", OccurrenceKinds.All)}; reference names what happened (an incident number, an action id)."],
            });
        }

        var on = report.Value.On ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(await tracker.RecordOccurrenceAsync(id, new Occurrence(on, report.Value.Kind!, report.Value.Reference.Trim(), report.Value.Note), StaffRoles.NameOf(user), cancellationToken));
    }
}

public sealed record LevelDecision(string? Level, string? Reason);

public sealed record OccurrenceReport(string? Kind, string? Reference, DateOnly? On, string? Note);
