using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Turns what staff ask for (the API's JSON or the staff page's form) into a campaign, or says what is wrong with it,
/// field by field, in Japanese and English. The id is derived from what the campaign asks, so launching the same
/// campaign twice (a double click, a retried request) is the same campaign: planning is idempotent. A launch is
/// recorded in the portal's audit chain.
/// </summary>
public sealed class CampaignRequests(SurveyPlanner planner, ChecklistLibrary checklists, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Creates the campaign's surveys and queues their invitations (the API and the staff page both launch here).</summary>
    public async Task<PlanOutcome> LaunchAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var outcome = await planner.LaunchAsync(campaign, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditTrail.PortalChain, AuditActions.CampaignLaunched, campaign.CreatedBy, campaign.Id, After: new
        {
            campaign.Name, campaign.Kind, campaign.ChecklistId, campaign.ChecklistVersion, campaign.DueOn, campaign.Target,
            outcome.Report.Created, outcome.Report.Queued, skipped = outcome.AlreadySurveyed.Count,
        }), cancellationToken);
        return outcome;
    }

    public async Task<(Campaign? Campaign, IReadOnlyDictionary<string, string[]> Errors)> BuildAsync(CampaignRequest request, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors["name"] = ["キャンペーン名を入力してください（例: 2026年度 年次書面調査） / Name the campaign (e.g. FY2026 annual survey)."];
        }

        if (!SurveyKinds.All.Contains(request.Kind ?? "") || request.Kind == SurveyKinds.HandlingMethod)
        {
            errors["kind"] = ["種類は年次・中間・事前確認・終了時のいずれかです / The kind is annual, interim, due-diligence or termination."];
        }

        if (request.ChecklistId is null || request.ChecklistVersion is null || await checklists.InfoAsync(request.ChecklistId, request.ChecklistVersion.Value, cancellationToken) is null)
        {
            errors["checklistId"] = [$"チェックシート {request.ChecklistId} v{request.ChecklistVersion} はありません / There is no checklist {request.ChecklistId} v{request.ChecklistVersion}."];
        }

        var today = planner.Today();
        var dueOn = request.DueOn ?? today.AddDays(request.DueDays ?? 30);
        if (dueOn <= today)
        {
            errors["dueOn"] = ["回答期限は明日以降の日付にしてください / The due date must be in the future."];
        }

        foreach (var tier in request.Target?.Tiers ?? [])
        {
            if (tier is not ("high" or "medium" or "low"))
            {
                errors["target.tiers"] = [$"「{tier}」はリスク区分ではありません（high・medium・low） / '{tier}' is not high, medium or low."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var target = request.Target ?? new CampaignTarget();
        var fingerprint = JsonSerializer.Serialize(new object?[] { request.Name!.Trim(), request.Kind, request.ChecklistId, request.ChecklistVersion, dueOn, target });
        var id = $"c{dueOn:yyyyMMdd}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..10]}";
        return (new Campaign(id, request.Name!.Trim(), request.Kind!, request.ChecklistId!, request.ChecklistVersion!.Value, dueOn, target, by, clock.GetUtcNow()), errors);
    }
}
