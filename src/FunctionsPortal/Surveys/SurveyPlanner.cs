using FunctionsPortal.Checklists;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Works out which assignments should exist today — each active vendor's tier plan (frequency from its risk tier,
/// periods from its contract anniversary), every active campaign, and a handling-method request for each approved
/// subcontractor — creates the missing ones and queues an invitation for every assignment not yet invited.
/// A vendor gets at most one periodic (annual or interim) survey per plan period, whoever asks first — the tier plan or
/// a campaign — through a claim per (vendor, period) written before the assignment (decision 010).
/// Running it twice, or on two instances at once, creates nothing twice (deterministic keys, the claims) and sends
/// nothing twice (the outbox).
/// </summary>
public sealed partial class SurveyPlanner(
    VendorRegistry registry,
    AssignmentStore assignments,
    PeriodClaims claims,
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
        var desired = new List<PlannedSurvey>();
        desired.AddRange(TierPlan(vendors, today));
        foreach (var campaign in await campaigns.ListAsync(activeOnly: true, cancellationToken))
        {
            desired.AddRange(ForCampaign(campaign, vendors, today));
        }

        desired.AddRange(SubcontractorRequests(vendors, today));
        return (await CreateAndQueueAsync(desired, cancellationToken)).Report;
    }

    /// <summary>Who a campaign would reach, with any recipient problem and who already surveys them this period — without creating anything.</summary>
    public async Task<IReadOnlyList<CampaignRecipient>> PreviewAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var recipients = ForCampaign(campaign, await registry.AllAsync(cancellationToken), Today());
        var held = await claims.HeldAsync(ClaimsOf(recipients), new Dictionary<string, Assignment>(), cancellationToken);
        return recipients.Select(recipient => recipient.ToRecipient(held.GetValueOrDefault(recipient.Assignment.Key))).ToList();
    }

    public async Task<PlanOutcome> LaunchAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await campaigns.TryAddAsync(campaign, cancellationToken);
        var recipients = ForCampaign(campaign, await registry.AllAsync(cancellationToken), Today());
        return await CreateAndQueueAsync(recipients, cancellationToken);
    }

    public DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);

    private static List<PeriodClaim> ClaimsOf(IEnumerable<PlannedSurvey> planned) =>
        planned.Where(survey => survey.Period is not null).Select(survey => new PeriodClaim(survey.Period!.Value, survey.Assignment)).ToList();

    private async Task<PlanOutcome> CreateAndQueueAsync(List<PlannedSurvey> desired, CancellationToken cancellationToken)
    {
        // One single-partition query per cycle: what exists is neither claimed nor created again (a campaign's survey
        // made in an earlier period must not claim this one), and is queued below if it was never invited.
        var existing = new Dictionary<string, Assignment>(StringComparer.Ordinal);
        foreach (var cycle in desired.Select(survey => survey.Assignment.Cycle).Distinct(StringComparer.Ordinal))
        {
            foreach (var assignment in await assignments.ListAsync(new AssignmentQuery(Cycle: cycle), cancellationToken))
            {
                existing[assignment.Key] = assignment;
            }
        }

        var missing = desired.Where(survey => !existing.ContainsKey(survey.Assignment.Key)).ToList();
        var refused = await claims.ClaimAsync(ClaimsOf(missing), existing, cancellationToken);
        var created = await assignments.CreateManyAsync(missing.Where(survey => !refused.ContainsKey(survey.Assignment.Key)).Select(survey => survey.Assignment).ToList(), cancellationToken);
        foreach (var (id, version) in created.Where(assignment => assignment.ChecklistId is not null).Select(assignment => (assignment.ChecklistId!, assignment.ChecklistVersion!.Value)).Distinct())
        {
            // The checklist version is frozen from its first use: the survey asks exactly what was sent.
            await checklists.MarkUsedAsync(id, version, "survey-planner", cancellationToken);
        }

        // Every assignment not yet invited gets a message — also those created by an earlier run that stopped before
        // queueing. A duplicate message is harmless: the outbox sends each mail once.
        var toInvite = existing.Values.Where(assignment => assignment.Status == AssignmentStatus.Scheduled).Concat(created)
            .Where(assignment => assignment.RecipientProblem is null)
            .Select(assignment => new SurveyMailMessage(assignment.Key, "invitation"))
            .ToList();
        await queue.EnqueueManyAsync(toInvite, cancellationToken);
        var problems = desired.Count(survey => survey.Assignment.RecipientProblem is not null && !refused.ContainsKey(survey.Assignment.Key));
        LogPlanned(desired.Count, created.Count, toInvite.Count, problems, refused.Count);
        var skipped = missing.Where(survey => refused.ContainsKey(survey.Assignment.Key)).Select(survey => survey.ToRecipient(refused[survey.Assignment.Key])).ToList();
        return new PlanOutcome(new PlanReport(desired.Count, created.Count, toInvite.Count, problems, refused.Count), skipped);
    }

    private IEnumerable<PlannedSurvey> TierPlan(IReadOnlyList<VendorView> vendors, DateOnly today)
    {
        foreach (var view in vendors.Where(view => view.Vendor.ParentId is null && view.Vendor.LifecycleStatus == "active"))
        {
            var period = PlanPeriod.Containing(view, today, options.Value.DefaultAnniversaryMonth);
            var kind = period.StartsAtAnniversary ? SurveyKinds.Annual : SurveyKinds.Interim;
            var periodDue = period.Start.AddDays(options.Value.DefaultDueDays);
            var dueOn = periodDue > today ? periodDue : today.AddDays(options.Value.DefaultDueDays);
            yield return new PlannedSurvey(New(SurveyCycles.Plan(period.Start), view, kind, view.Risk.Plan.Checklist, 1, dueOn, campaignId: null), view.Vendor.LegalName.Ja, period);
        }
    }

    private List<PlannedSurvey> ForCampaign(Campaign campaign, IReadOnlyList<VendorView> vendors, DateOnly today)
    {
        var target = campaign.Target;
        return vendors
            .Where(view => target.VendorIds is { Count: > 0 } ids ? ids.Contains(view.Id, StringComparer.Ordinal) : view.Vendor.LifecycleStatus == "active")
            .Where(view => target.IncludeSubcontractors || view.Vendor.ParentId is null)
            .Where(view => view.Vendor.Match is null)
            .Where(view => target.Tiers is not { Count: > 0 } tiers || tiers.Contains(view.Risk.EffectiveTier, StringComparer.Ordinal))
            .Where(view => target.BusinessCategories is not { Count: > 0 } categories || categories.Contains(view.Vendor.BusinessCategory, StringComparer.Ordinal))
            .OrderBy(view => view.Id, StringComparer.Ordinal)
            .Select(view => new PlannedSurvey(
                New(campaign.Id, view, campaign.Kind, campaign.ChecklistId, campaign.ChecklistVersion, campaign.DueOn, campaign.Id),
                view.Vendor.LegalName.Ja,
                SurveyKinds.IsPeriodic(campaign.Kind) ? PlanPeriod.Containing(view, today, options.Value.DefaultAnniversaryMonth) : null))
            .ToList();
    }

    private IEnumerable<PlannedSurvey> SubcontractorRequests(IReadOnlyList<VendorView> vendors, DateOnly today) =>
        vendors
            .Where(view => view.Vendor.ParentId is not null && view.Vendor.LifecycleStatus is not ("terminating" or "terminated"))

            // A declaration matching a registered vendor is that vendor, which gets its own requests: never a link of its own.
            .Where(view => view.Vendor.Match is null)
            .Where(view => !options.Value.SubcontractorRequestNeedsApproval || view.Vendor.PriorApproval?.Status == "approved")
            .Select(view => new PlannedSurvey(New(OnboardingCycle, view, SurveyKinds.HandlingMethod, null, null, today.AddDays(options.Value.DefaultDueDays), campaignId: null), view.Vendor.LegalName.Ja, Period: null));

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
            Segment = AssignmentStore.SegmentOf(view),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey planning: {Desired} assignments due, {Created} created now, {Queued} invitations queued, {Problems} with recipient problems, {AlreadySurveyed} skipped as already surveyed in their period")]
    private partial void LogPlanned(int desired, int created, int queued, int problems, int alreadySurveyed);
}

/// <summary>What a planning run or a launch did; AlreadySurveyed of the Due were skipped: another survey holds their period.</summary>
public sealed record PlanReport(int Due, int Created, int Queued, int RecipientProblems, int AlreadySurveyed);

/// <summary>The report, and each recipient skipped with the survey that already holds its period.</summary>
public sealed record PlanOutcome(PlanReport Report, IReadOnlyList<CampaignRecipient> AlreadySurveyed);

/// <summary>A recipient: its would-be assignment, any recipient problem, and the survey that already holds its period, if one does.</summary>
public sealed record CampaignRecipient(string VendorId, string NameJa, string? Email, string? Problem, Assignment Assignment, SurveyedBy? AlreadySurveyedBy);

/// <summary>An assignment the planner wants, with the plan period it claims (periodic kinds only).</summary>
internal sealed record PlannedSurvey(Assignment Assignment, string NameJa, PlanPeriod? Period)
{
    public CampaignRecipient ToRecipient(SurveyedBy? alreadySurveyedBy) =>
        new(Assignment.VendorId, NameJa, Assignment.RecipientEmail, Assignment.RecipientProblem, Assignment, alreadySurveyedBy);
}
