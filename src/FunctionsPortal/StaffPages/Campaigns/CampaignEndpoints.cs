using System.Globalization;
using FunctionsPortal.Auth;
using FunctionsPortal.Checklists;
using FunctionsPortal.Hosting;
using FunctionsPortal.StaffPages.Shell;
using FunctionsPortal.Surveys;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.StaffPages.Campaigns;

/// <summary>
/// Campaigns (GET /staff/campaigns): every campaign, and — for administrators — a form to launch one, previewed first
/// (POST …/preview shows who would be asked, who cannot be reached, who is surveyed this period already; nothing is
/// created) and then launched (POST /staff/campaigns, redirecting to the dashboard for that campaign).
/// </summary>
internal static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaigns(this RouteGroupBuilder pages)
    {
        pages.MapGet("/campaigns", ShowAsync);
        pages.MapPost("/campaigns/preview", PreviewAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        pages.MapPost("/campaigns", LaunchAsync).RequireAuthorization(StaffRoles.AdminPolicy);
        return pages;
    }

    internal static async Task<IResult> ShowAsync(StaffPageContext page, CampaignStore campaigns, ChecklistLibrary checklists, CancellationToken cancellationToken) =>
        PageResults.Render(await ViewAsync(page, campaigns, checklists, new CampaignForm(), null, new Dictionary<string, string[]>(), cancellationToken));

    internal static async Task<IResult> PreviewAsync(
        [AsParameters] CampaignForm form, StaffPageContext page, HttpContext context, CampaignRequests requests, SurveyPlanner planner, CampaignStore campaigns,
        ChecklistLibrary checklists, CancellationToken cancellationToken)
    {
        var (campaign, errors) = await requests.BuildAsync(form.Request(), StaffRoles.NameOf(context.User), cancellationToken);
        var preview = campaign is null ? null : CampaignPreview.Of(await planner.PreviewAsync(campaign, cancellationToken));
        return PageResults.Render(await ViewAsync(page, campaigns, checklists, form, preview, errors, cancellationToken), errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    internal static async Task<IResult> LaunchAsync(
        [AsParameters] CampaignForm form, StaffPageContext page, HttpContext context, CampaignRequests requests, CampaignStore campaigns,
        ChecklistLibrary checklists, CancellationToken cancellationToken)
    {
        var (campaign, errors) = await requests.BuildAsync(form.Request(), StaffRoles.NameOf(context.User), cancellationToken);
        if (campaign is null)
        {
            return PageResults.Render(await ViewAsync(page, campaigns, checklists, form, null, errors, cancellationToken), StatusCodes.Status400BadRequest);
        }

        var outcome = await requests.LaunchAsync(campaign, cancellationToken);
        Flash.Write(context, [Notice.Info(
            $"「{campaign.Name}」を開始しました: {outcome.Report.Created}件を作成、{outcome.Report.Queued}件の依頼メールを送信待ちにしました（今期すでに調査中で対象外: {outcome.AlreadySurveyed.Count}件）。",
            $"'{campaign.Name}' launched: {outcome.Report.Created} surveys created, {outcome.Report.Queued} invitations queued ({outcome.AlreadySurveyed.Count} skipped: already surveyed this period).")]);
        return TypedResults.Redirect($"/staff?cycle={Uri.EscapeDataString(campaign.Id)}");
    }

    private static async Task<CampaignsView> ViewAsync(
        StaffPageContext page, CampaignStore campaigns, ChecklistLibrary checklists, CampaignForm form, CampaignPreview? preview,
        IReadOnlyDictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var all = (await campaigns.ListAsync(activeOnly: false, cancellationToken)).OrderByDescending(campaign => campaign.CreatedAt).ToList();
        var versions = (await checklists.ListAsync(cancellationToken))
            .Where(version => version.Kind != SurveyKinds.HandlingMethod)
            .OrderBy(version => version.Id, StringComparer.Ordinal).ThenByDescending(version => version.Version)
            .ToList();
        return new CampaignsView(page, all, versions, form, preview, errors);
    }
}

/// <summary>The launch form: strings only (binding never fails), read into the API's request shape.</summary>
public sealed record CampaignForm
{
    [FromForm]
    public string? Name { get; init; }

    [FromForm]
    public string? Kind { get; init; }

    /// <summary>"{checklist id}@{version}".</summary>
    [FromForm]
    public string? Checklist { get; init; }

    [FromForm]
    public string? DueOn { get; init; }

    [FromForm]
    public string[]? Tiers { get; init; }

    [FromForm]
    public string[]? Categories { get; init; }

    public CampaignRequest Request()
    {
        var checklist = (Checklist ?? "").Split('@', 2);
        var version = checklist.Length == 2 && int.TryParse(checklist[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        var dueOn = DateOnly.TryParseExact(DueOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : (DateOnly?)null;
        return new CampaignRequest(Name, Kind, checklist[0].Length == 0 ? null : checklist[0], version, dueOn, null,
            new CampaignTarget(Tiers is { Length: > 0 } tiers ? tiers : null, Categories is { Length: > 0 } categories ? categories : null));
    }
}

public sealed record CampaignsView(
    StaffPageContext Page, IReadOnlyList<Campaign> Campaigns, IReadOnlyList<ChecklistVersionInfo> Checklists, CampaignForm Form, CampaignPreview? Preview,
    IReadOnlyDictionary<string, string[]> Errors) : IStaffPageView<CampaignsPage>;
