using FunctionsPortal.Auth;
using FunctionsPortal.Hosting;
using FunctionsPortal.ManagementLevels;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Vendors;

/// <summary>A reviewer sets a vendor's management level with a reason, or records an incident as an occurrence, from the vendor's page (Post/Redirect/Get).</summary>
internal static class ManagementEndpoints
{
    public static RouteGroupBuilder MapManagementChanges(this RouteGroupBuilder pages)
    {
        pages.MapPost("/vendors/{id}/management-level", DecideAsync);
        pages.MapPost("/vendors/{id}/occurrences", RecordIncidentAsync);
        return pages;
    }

    internal static async Task<IResult> DecideAsync(string id, [AsParameters] LevelForm form, HttpContext context, ManagementTracker tracker, CancellationToken cancellationToken)
    {
        var back = VendorEndpoints.Url(id) + "#level-title";
        if (form.Level is not (Levels.LevelI or Levels.LevelII or Levels.Normal) || string.IsNullOrWhiteSpace(form.Reason))
        {
            Flash.Write(context, [Notice.Error("level-reason", "レベルを選び、判断の理由を記入してください。", "Choose a level and say why.")]);
            return TypedResults.Redirect(back);
        }

        var after = await tracker.DecideAsync(id, form.Level, form.Reason, StaffRoles.NameOf(context.User), cancellationToken);
        Flash.Write(context, [Notice.Info($"リスク管理強化レベルを「{Levels.Label(after.Level).Ja}」にしました。", $"Management level set: {Levels.Label(after.Level).En}.")]);
        return TypedResults.Redirect(back);
    }

    internal static async Task<IResult> RecordIncidentAsync(
        string id, [AsParameters] IncidentForm form, HttpContext context, ManagementTracker tracker, TimeProvider clock, CancellationToken cancellationToken)
    {
        var back = VendorEndpoints.Url(id) + "#level-title";
        if (string.IsNullOrWhiteSpace(form.Reference))
        {
            Flash.Write(context, [Notice.Error("incident-reference", "事故・インシデントの管理番号などを記入してください。", "Give the incident's reference.")]);
            return TypedResults.Redirect(back);
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(FunctionsPortal.Surveys.SurveyLinks.Japan).DateTime);
        var after = await tracker.RecordOccurrenceAsync(id, new Occurrence(today, OccurrenceKinds.Incident, form.Reference.Trim(), string.IsNullOrWhiteSpace(form.Note) ? null : form.Note.Trim()),
            StaffRoles.NameOf(context.User), cancellationToken);
        Flash.Write(context, [Notice.Info($"インシデントを記録しました（現在のレベル：{Levels.Label(after.Level).Ja}）。", $"Incident recorded (level now: {Levels.Label(after.Level).En}).")]);
        return TypedResults.Redirect(back);
    }
}

internal sealed class LevelForm
{
    [FromForm]
    public string? Level { get; set; }

    [FromForm]
    public string? Reason { get; set; }
}

internal sealed class IncidentForm
{
    [FromForm]
    public string? Reference { get; set; }

    [FromForm]
    public string? Note { get; set; }
}
