using FunctionsPortal.Checklists;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Works out which assignments should exist today — the tier plan of each active vendor and approved subcontractor
/// (frequency from its risk tier, periods from its contract anniversary, the full or lite checklist at the anniversary
/// and the tier's themed interim checklists in the other periods, each in its latest version), every active campaign,
/// a handling-method request for each approved subcontractor, and the termination certificate survey of each vendor
/// whose contract has ended — creates the missing ones and queues an invitation for every assignment not yet invited.
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
        var bases = PlanBasis.ForAll(vendors, options.Value.DefaultAnniversaryMonth);
        var today = Today();
        var active = await campaigns.ListAsync(activeOnly: true, cancellationToken);
        var latest = new LatestChecklists(checklists, cancellationToken);
        var desired = new List<PlannedSurvey>();
        desired.AddRange(await TierPlanAsync(vendors, bases, today, latest));
        foreach (var campaign in active)
        {
            desired.AddRange(ForCampaign(campaign, vendors, bases, today));
        }

        desired.AddRange(SubcontractorRequests(vendors, today));
        desired.AddRange(await TerminationsAsync(vendors, active, today, latest, cancellationToken));
        return (await CreateAndQueueAsync(desired, cancellationToken)).Report;
    }

    /// <summary>Who a campaign would reach, with any recipient problem and who already surveys them this period — without creating anything.</summary>
    public async Task<IReadOnlyList<CampaignRecipient>> PreviewAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var recipients = await ForCampaignAsync(campaign, cancellationToken);
        var held = await claims.HeldAsync(ClaimsOf(recipients), new Dictionary<string, Assignment>(), cancellationToken);
        return recipients.Select(recipient => recipient.ToRecipient(held.GetValueOrDefault(recipient.Assignment.Key))).ToList();
    }

    public async Task<PlanOutcome> LaunchAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await campaigns.TryAddAsync(campaign, cancellationToken);
        return await CreateAndQueueAsync(await ForCampaignAsync(campaign, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Whether the vendor's contract has ended for the planner: its status is terminating, or its contract's last day
    /// (<see cref="ContractPeriod.EndOn"/>) is before <paramref name="today"/> (a Japan date). Its periodic plan stops,
    /// and its termination certificate survey is sent.
    /// </summary>
    public static bool ContractEnded(Vendor vendor, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return vendor.LifecycleStatus == "terminating" || vendor.Contract?.EndOn < today;
    }

    /// <summary>
    /// Whether a subcontractor is surveyed in the yearly plan: approved (pending ones are not yet: our approval decision
    /// comes first), not a registry duplicate (a matched or linked declaration is the registered vendor, planned as
    /// itself), and not ending.
    /// </summary>
    public static bool IsPlannedSubcontractor(Vendor vendor)
    {
        ArgumentNullException.ThrowIfNull(vendor);
        return vendor.ParentId is not null && vendor.Match is null && vendor.PriorApproval?.Status == "approved"
            && vendor.LifecycleStatus is not ("terminating" or "terminated");
    }

    private async Task<List<PlannedSurvey>> ForCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var vendors = await registry.AllAsync(cancellationToken);
        return ForCampaign(campaign, vendors, PlanBasis.ForAll(vendors, options.Value.DefaultAnniversaryMonth), Today());
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

    /// <summary>
    /// The current period's survey of every vendor in the tier plan: active vendors whose contract has not ended, and
    /// the planned subcontractors under them (<see cref="IsPlannedSubcontractor"/>), each with its own responsible officer.
    /// </summary>
    private async Task<List<PlannedSurvey>> TierPlanAsync(IReadOnlyList<VendorView> vendors, Dictionary<string, PlanBasis> bases, DateOnly today, LatestChecklists latest)
    {
        var byId = vendors.ToDictionary(view => view.Id, StringComparer.Ordinal);
        var planned = new List<PlannedSurvey>();
        var unavailable = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var view in vendors.Where(view => InTierPlan(view, byId, today, depth: 0)))
        {
            var basis = bases[view.Id];
            var period = basis.PeriodContaining(today);
            var kind = period.StartsAtAnniversary ? SurveyKinds.Annual : SurveyKinds.Interim;
            var checklistId = basis.Plan.ChecklistFor(period.Number);
            var expectedKind = checklistId == basis.Plan.Checklist ? SurveyKinds.Annual : SurveyKinds.Interim;
            if (await latest.OfKindAsync(checklistId, expectedKind) is not { } checklist)
            {
                unavailable[checklistId] = unavailable.GetValueOrDefault(checklistId) + 1;
                continue;
            }

            var periodDue = period.Start.AddDays(options.Value.DefaultDueDays);
            var dueOn = periodDue > today ? periodDue : today.AddDays(options.Value.DefaultDueDays);
            var assignment = New(SurveyCycles.Plan(period.Start), view, kind, checklist.Id, checklist.Version, dueOn, campaignId: null, basis);
            planned.Add(new PlannedSurvey(assignment, view.Vendor.LegalName.Ja, period));
        }

        foreach (var (checklistId, count) in unavailable)
        {
            LogChecklistUnavailable(checklistId, latest.Problem(checklistId), "RiskTiers:Plans", count);
        }

        return planned;
    }

    private static bool InTierPlan(VendorView view, Dictionary<string, VendorView> byId, DateOnly today, int depth)
    {
        if (ContractEnded(view.Vendor, today))
        {
            return false;
        }

        if (view.Vendor.ParentId is not { } parentId)
        {
            return view.Vendor.LifecycleStatus == "active";
        }

        // A subcontractor is surveyed while the vendor above it is: the chain ends where one of them leaves the plan.
        return IsPlannedSubcontractor(view.Vendor) && depth < PlanBasis.MaxDepth && byId.TryGetValue(parentId, out var parent) && InTierPlan(parent, byId, today, depth + 1);
    }

    /// <summary>
    /// One termination certificate survey per vendor whose contract has ended (<see cref="ContractEnded"/>), filed under
    /// the year its contract ends (<see cref="SurveyCycles.Termination"/>): created once, whatever the runs. Not when a
    /// termination campaign names the vendor, or an undated one was already created for this contract.
    /// </summary>
    private async Task<List<PlannedSurvey>> TerminationsAsync(IReadOnlyList<VendorView> vendors, IReadOnlyList<Campaign> active, DateOnly today, LatestChecklists latest, CancellationToken cancellationToken)
    {
        var ending = vendors.Where(view => DueForTermination(view.Vendor, today)).ToList();
        if (ending.Count == 0)
        {
            return [];
        }

        var checklistId = options.Value.TerminationChecklist;
        if (await latest.OfKindAsync(checklistId, SurveyKinds.Termination) is not { } checklist)
        {
            LogChecklistUnavailable(checklistId, latest.Problem(checklistId), "Surveys:TerminationChecklist", ending.Count);
            return [];
        }

        var named = active.Where(campaign => campaign.Kind == SurveyKinds.Termination)
            .SelectMany(campaign => (campaign.Target.VendorIds ?? []).Select(id => (Id: id, campaign.CreatedAt)))
            .ToList();
        var undated = ending.Any(view => view.Vendor.Contract?.EndOn is not null)
            ? await assignments.ListAsync(new AssignmentQuery(Cycle: SurveyCycles.Termination(null)), cancellationToken)
            : [];
        return ending
            .Where(view => !named.Any(campaign => campaign.Id == view.Id && SinceContractStart(view.Vendor, campaign.CreatedAt)))
            .Where(view => view.Vendor.Contract?.EndOn is null || !undated.Any(survey => survey.VendorId == view.Id && SinceContractStart(view.Vendor, survey.CreatedAt)))
            .Select(view => new PlannedSurvey(
                New(SurveyCycles.Termination(view.Vendor.Contract?.EndOn), view, SurveyKinds.Termination, checklist.Id, checklist.Version, today.AddDays(options.Value.DefaultDueDays), campaignId: null),
                view.Vendor.LegalName.Ja,
                Period: null))
            .ToList();
    }

    /// <summary>Vendors in business with us (active, or approved subcontractors) whose contract has ended.</summary>
    private static bool DueForTermination(Vendor vendor, DateOnly today) =>
        ContractEnded(vendor, today) && vendor.Match is null && vendor.LifecycleStatus != "terminated"
        && (vendor.ParentId is null ? vendor.LifecycleStatus is "active" or "terminating" : vendor.PriorApproval?.Status == "approved");

    private static bool SinceContractStart(Vendor vendor, DateTimeOffset at) =>
        vendor.Contract?.StartOn is not { } start || DateOnly.FromDateTime(at.ToOffset(SurveyLinks.Japan).DateTime) >= start;

    private List<PlannedSurvey> ForCampaign(Campaign campaign, IReadOnlyList<VendorView> vendors, Dictionary<string, PlanBasis> bases, DateOnly today)
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
                New(campaign.Id, view, campaign.Kind, campaign.ChecklistId, campaign.ChecklistVersion, campaign.DueOn, campaign.Id, bases[view.Id]),
                view.Vendor.LegalName.Ja,
                SurveyKinds.IsPeriodic(campaign.Kind) ? bases[view.Id].PeriodContaining(today) : null))
            .ToList();
    }

    private IEnumerable<PlannedSurvey> SubcontractorRequests(IReadOnlyList<VendorView> vendors, DateOnly today) =>
        vendors
            .Where(view => view.Vendor.ParentId is not null && view.Vendor.LifecycleStatus is not ("terminating" or "terminated"))

            // A pending declaration that matches a registered vendor is asked like any other (the request goes to the
            // address the declaring vendor gave): whether a mail arrives must not tell it the company is registered
            // (decision 017). Once staff link it, it is only a reference to that vendor, which gets its own requests.
            .Where(view => view.Vendor.Match is null or { Linked: false })
            .Where(view => view.Vendor.PriorApproval?.Status != "rejected")
            .Where(view => !options.Value.SubcontractorRequestNeedsApproval || view.Vendor.PriorApproval?.Status == "approved")
            .Select(view => new PlannedSurvey(New(OnboardingCycle, view, SurveyKinds.HandlingMethod, null, null, today.AddDays(options.Value.DefaultDueDays), campaignId: null), view.Vendor.LegalName.Ja, Period: null));

    /// <summary>A new assignment to the vendor's own responsible officer; its segment carries the tier it is planned by.</summary>
    private Assignment New(string cycle, VendorView view, string kind, string? checklistId, int? checklistVersion, DateOnly dueOn, string? campaignId, PlanBasis? basis = null)
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
            Segment = AssignmentStore.SegmentOf(view) with { Tier = basis?.Tier ?? view.Risk.EffectiveTier },
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Survey planning: checklist '{ChecklistId}' named in {Setting} {Problem}: {Vendors} surveys not planned. Import the checklist into the library or correct the setting.")]
    private partial void LogChecklistUnavailable(string checklistId, string problem, string setting, int vendors);

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

/// <summary>Each checklist's latest version, looked up once per planning run.</summary>
internal sealed class LatestChecklists(ChecklistLibrary library, CancellationToken cancellationToken)
{
    private readonly Dictionary<string, ChecklistVersionInfo?> _latest = new(StringComparer.Ordinal);

    /// <summary>The latest version when the library holds one of the expected kind; null otherwise (see <see cref="Problem"/>).</summary>
    public async Task<ChecklistVersionInfo?> OfKindAsync(string id, string kind)
    {
        if (!_latest.TryGetValue(id, out var info))
        {
            info = await library.LatestAsync(id, cancellationToken);
            _latest[id] = info;
        }

        return info?.Kind == kind ? info : null;
    }

    public string Problem(string id) => _latest.GetValueOrDefault(id) is { } info
        ? $"is a checklist of kind '{info.Kind}' (latest v{info.Version}), not of the kind this use needs"
        : "is not in the checklist library";
}
