using FunctionsPortal.Checklists;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Works out which assignments should exist today — each active vendor's tier plan (frequency from its risk tier,
/// periods from its contract anniversary), every active campaign, and a handling-method request for each approved
/// subcontractor — creates the missing ones and queues an invitation for every assignment not yet invited.
/// Running it twice, or on two instances at once, creates nothing twice (deterministic keys) and sends nothing
/// twice (the outbox).
/// </summary>
public sealed partial class SurveyPlanner(
    VendorRegistry registry,
    AssignmentStore assignments,
    CampaignStore campaigns,
    ChecklistLibrary checklists,
    SurveyMailRequests queue,
    IOptions<SurveyOptions> options,
    TimeProvider timeProvider,
    ILogger<SurveyPlanner> logger)
{
    /// <summary>The cycle every subcontractor's handling-method request is filed under (one per subcontractor).</summary>
    public const string OnboardingCycle = "onboarding";

    public async Task<PlanReport> PlanAsync(CancellationToken cancellationToken)
    {
        var vendors = await registry.AllAsync(cancellationToken);
        var today = Today();
        var desired = new List<Assignment>();
        var existing = await assignments.ListAsync(new AssignmentQuery(), cancellationToken);
        desired.AddRange(TierPlan(vendors, today, existing));
        foreach (var campaign in await campaigns.ListAsync(activeOnly: true, cancellationToken))
        {
            desired.AddRange(ForCampaign(campaign, vendors).Select(recipient => recipient.Assignment));
        }

        desired.AddRange(SubcontractorRequests(vendors, today));
        return await CreateAndQueueAsync(desired, cancellationToken);
    }

    /// <summary>Who a campaign would reach, with any recipient problem — without creating anything.</summary>
    public async Task<IReadOnlyList<CampaignRecipient>> PreviewAsync(Campaign campaign, CancellationToken cancellationToken) =>
        ForCampaign(campaign, await registry.AllAsync(cancellationToken));

    public async Task<PlanReport> LaunchAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await campaigns.TryAddAsync(campaign, cancellationToken);
        var recipients = ForCampaign(campaign, await registry.AllAsync(cancellationToken));
        return await CreateAndQueueAsync(recipients.Select(recipient => recipient.Assignment).ToList(), cancellationToken);
    }

    public DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);

    private async Task<PlanReport> CreateAndQueueAsync(List<Assignment> desired, CancellationToken cancellationToken)
    {
        var created = await assignments.CreateManyAsync(desired, cancellationToken);
        foreach (var (id, version) in created.Where(assignment => assignment.ChecklistId is not null).Select(assignment => (assignment.ChecklistId!, assignment.ChecklistVersion!.Value)).Distinct())
        {
            // The checklist version is frozen from its first use: the survey asks exactly what was sent.
            await checklists.MarkUsedAsync(id, version, "survey-planner", cancellationToken);
        }

        // Every assignment not yet invited gets a message — also those created by an earlier run that stopped before
        // queueing. A duplicate message is harmless: the outbox sends each mail once.
        var waiting = desired.Select(assignment => assignment.Cycle).Distinct(StringComparer.Ordinal).ToList();
        var toInvite = new List<SurveyMailMessage>();
        foreach (var cycle in waiting)
        {
            var scheduled = await assignments.ListAsync(new AssignmentQuery(Cycle: cycle, Status: AssignmentStatus.Scheduled), cancellationToken);
            toInvite.AddRange(scheduled.Where(assignment => assignment.RecipientProblem is null).Select(assignment => new SurveyMailMessage(assignment.Key, "invitation")));
        }

        await queue.EnqueueManyAsync(toInvite, cancellationToken);
        var problems = desired.Count(assignment => assignment.RecipientProblem is not null);
        LogPlanned(desired.Count, created.Count, toInvite.Count, problems);
        return new PlanReport(desired.Count, created.Count, toInvite.Count, problems);
    }

    private IEnumerable<Assignment> TierPlan(IReadOnlyList<VendorView> vendors, DateOnly today, IReadOnlyList<Assignment> existing)
    {
        var byVendor = existing.Where(assignment => assignment.Status != AssignmentStatus.Cancelled && assignment.Kind is SurveyKinds.Annual or SurveyKinds.Interim)
            .ToLookup(assignment => assignment.VendorId, StringComparer.Ordinal);
        foreach (var view in vendors.Where(view => view.Vendor.ParentId is null && view.Vendor.LifecycleStatus == "active"))
        {
            var plan = view.Risk.Plan;
            var months = Math.Max(1, 12 / Math.Clamp(plan.SurveysPerYear, 1, 12));
            var anniversary = view.Vendor.Contract?.StartOn?.Month ?? options.Value.DefaultAnniversaryMonth;
            // The current period starts at the latest (anniversary + k·months) on or before today.
            var start = new DateOnly(today.Year - 1, anniversary, 1);
            while (start.AddMonths(months) <= today)
            {
                start = start.AddMonths(months);
            }

            var kind = start.Month == anniversary ? SurveyKinds.Annual : SurveyKinds.Interim;
            var periodEnd = start.AddMonths(months);
            if (byVendor[view.Id].Any(assignment => assignment.Cycle != $"plan-{start:yyyy-MM}" && assignment.CreatedAt >= new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), SurveyLinks.Japan)
                                                    && assignment.CreatedAt < new DateTimeOffset(periodEnd.ToDateTime(TimeOnly.MinValue), SurveyLinks.Japan)))
            {
                continue; // a campaign already surveys this vendor in this period: do not ask twice
            }

            var due = (start > today ? start : today).AddDays(options.Value.DefaultDueDays);
            var periodDue = start.AddDays(options.Value.DefaultDueDays);
            yield return New($"plan-{start:yyyy-MM}", view, kind, plan.Checklist, 1, periodDue > today ? periodDue : due, campaignId: null);
        }
    }

    private List<CampaignRecipient> ForCampaign(Campaign campaign, IReadOnlyList<VendorView> vendors)
    {
        var target = campaign.Target;
        return vendors
            .Where(view => target.VendorIds is { Count: > 0 } ids ? ids.Contains(view.Id, StringComparer.Ordinal) : view.Vendor.LifecycleStatus == "active")
            .Where(view => target.IncludeSubcontractors || view.Vendor.ParentId is null)
            .Where(view => target.Tiers is not { Count: > 0 } tiers || tiers.Contains(view.Risk.EffectiveTier, StringComparer.Ordinal))
            .Where(view => target.BusinessCategories is not { Count: > 0 } categories || categories.Contains(view.Vendor.BusinessCategory, StringComparer.Ordinal))
            .OrderBy(view => view.Id, StringComparer.Ordinal)
            .Select(view =>
            {
                var assignment = New(campaign.Id, view, campaign.Kind, campaign.ChecklistId, campaign.ChecklistVersion, campaign.DueOn, campaign.Id);
                return new CampaignRecipient(view.Id, view.Vendor.LegalName.Ja, assignment.RecipientEmail, assignment.RecipientProblem, assignment);
            })
            .ToList();
    }

    private IEnumerable<Assignment> SubcontractorRequests(IReadOnlyList<VendorView> vendors, DateOnly today) =>
        vendors
            .Where(view => view.Vendor.ParentId is not null && view.Vendor.LifecycleStatus is not ("terminating" or "terminated"))
            .Where(view => !options.Value.SubcontractorRequestNeedsApproval || view.Vendor.PriorApproval?.Status == "approved")
            .Select(view => New(OnboardingCycle, view, SurveyKinds.HandlingMethod, null, null, today.AddDays(options.Value.DefaultDueDays), campaignId: null));

    private Assignment New(string cycle, VendorView view, string kind, string? checklistId, int? checklistVersion, DateOnly dueOn, string? campaignId)
    {
        var officer = view.Vendor.ResponsibleOfficer;
        var email = officer?.Email;
        return new Assignment
        {
            Cycle = cycle,
            VendorId = view.Id,
            Kind = kind,
            CampaignId = campaignId,
            ChecklistId = checklistId,
            ChecklistVersion = checklistId is null ? null : checklistVersion,
            DueOn = dueOn,
            RecipientEmail = email,
            RecipientName = officer?.Name,
            RecipientProblem = VendorValidator.IsEmail(email) ? null : $"The responsible officer has no valid e-mail address ('{email}'): fix the vendor record, then resend.",
            CreatedAt = timeProvider.GetUtcNow(),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey planning: {Desired} assignments due, {Created} created now, {Queued} invitations queued, {Problems} with recipient problems")]
    private partial void LogPlanned(int desired, int created, int queued, int problems);
}

public sealed record PlanReport(int Due, int Created, int Queued, int RecipientProblems);

public sealed record CampaignRecipient(string VendorId, string NameJa, string? Email, string? Problem, Assignment Assignment);
