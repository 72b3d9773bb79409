using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Turns the findings of an accepted (or, when configured, sealed) submission into corrective actions and opens their
/// tasks: each ×, each △ without a planned date, each failed critical item, each required document missing and each
/// reviewer's reassessment becomes an action with a due date from its severity and the vendor's internal owner; a △ with
/// a planned date goes on the ledger as a plan. One action per survey and item (the id says so): accepting or sealing
/// again adds nothing, and a task whose opening was interrupted is opened on the next run.
/// </summary>
public sealed partial class ActionRaiser(
    CorrectiveActionStore actions, SubmissionStore submissions, ChecklistLibrary checklists, VendorStore vendors, IEnumerable<IActionTaskOutbox> tasks, ManagementTracker management, AuditTrail audit,
    IOptions<CorrectiveActionOptions> options, IOptions<SurveyOptions> surveyOptions, TimeProvider clock, ILogger<ActionRaiser> logger)
    : IAcceptedSubmissionSink, ISealedSubmissionSink
{
    public async Task AcceptedAsync(Assignment accepted, ScoreResult? score, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (options.Value.RaiseOn == CorrectiveActionOptions.OnAccepted && score is not null && accepted.SubmittedVersion is { } version
            && await submissions.FindEnvelopeAsync(accepted.Key, version, cancellationToken) is { } envelope)
        {
            await RaiseAsync(envelope.Payload, score, by, cancellationToken);
        }
    }

    public async Task SealedAsync(SealedEnvelope envelope, ScoreResult? score, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (options.Value.RaiseOn == CorrectiveActionOptions.OnSealed && score is not null)
        {
            await RaiseAsync(envelope.Payload, score, $"vendor:{envelope.Payload.Assignment.Key}", cancellationToken);
        }
    }

    /// <summary>Raises the actions of this sealed version (those that exist stay as they are) and opens the tasks of any without one.</summary>
    public async Task<IReadOnlyList<CorrectiveAction>> RaiseAsync(SealedPayload payload, ScoreResult score, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(score);
        var checklist = await checklists.ResolveAsync(score.ChecklistId, score.ChecklistVersion, cancellationToken);
        var vendor = await vendors.FindAsync(payload.Assignment.VendorId, cancellationToken);
        var owner = vendor?.Vendor.InternalOwner is { } internalOwner
            ? new ActionOwner(internalOwner.Name, internalOwner.Email, internalOwner.EntraObjectId)
            : new ActionOwner("", "", null);
        var raised = Build(payload, score, checklist, owner, vendor?.Vendor.LegalName.Ja ?? payload.Assignment.VendorNameJa, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), clock.GetUtcNow());
        if (raised.Count == 0)
        {
            return [];
        }

        var added = await actions.AddNewAsync(raised, cancellationToken);
        if (added.Count > 0)
        {
            LogRaised(added.Count, payload.Assignment.Key, payload.Version);
            await audit.AppendAsync(new AuditEntry(payload.Assignment.VendorId, AuditActions.CorrectiveActionsRaised, by, payload.Assignment.Key,
                After: new { version = payload.Version, actions = added.Select(action => new { action.Id, action.ItemId, action.Finding, action.Severity, action.Status, dueOn = action.DueOn }) }),
                cancellationToken);
        }

        // Every action of this survey still without a task gets one (the outbox makes asking twice harmless).
        var current = await actions.ListForVendorAsync(payload.Assignment.VendorId, cancellationToken);
        await RecordOccurrencesAsync(payload, current, by, cancellationToken);
        foreach (var action in current.Where(action => action.AssignmentKey == payload.Assignment.Key && action.Track == ActionTracks.Action && action.Task is null && action.IsOpen))
        {
            foreach (var queue in tasks)
            {
                await queue.OpenAsync(TaskFor(action), cancellationToken);
            }
        }

        return added;
    }

    /// <summary>
    /// Seed 004's occurrences in this survey: a failed critical item, or a finding of an item that was found before in
    /// another survey (a repeat, however far apart the surveys are). One survey is one occurrence however many items it
    /// concerns (recorded once, by the survey's key), so a single bad survey puts a vendor under Level II, not Level I.
    /// </summary>
    private async Task RecordOccurrencesAsync(SealedPayload payload, IReadOnlyList<CorrectiveAction> vendorActions, string by, CancellationToken cancellationToken)
    {
        var ofThisSurvey = vendorActions.Where(action => action.AssignmentKey == payload.Assignment.Key && action.Track == ActionTracks.Action).ToList();
        var critical = ofThisSurvey.Where(action => action.Finding == FindingKinds.CriticalFailed).Select(action => action.ItemId).ToList();
        var repeated = ofThisSurvey
            .Where(action => vendorActions.Any(earlier => earlier.ItemId == action.ItemId && earlier.AssignmentKey != action.AssignmentKey && earlier.CreatedAt < action.CreatedAt))
            .Select(action => action.ItemId).ToList();
        if (critical.Count + repeated.Count == 0)
        {
            return;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);
        var (kind, items) = critical.Count > 0 ? (OccurrenceKinds.CriticalFailed, critical) : (OccurrenceKinds.RepeatFinding, repeated);
        await management.RecordOccurrenceAsync(payload.Assignment.VendorId, new Occurrence(today, kind, payload.Assignment.Key, string.Join(", ", items.Union(repeated))), by, cancellationToken);
    }

    /// <summary>The task an action asks for: marker and item in the title, everything staff need in the description.</summary>
    public ActionTaskRequest TaskFor(CorrectiveAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var review = new Uri(surveyOptions.Value.PortalBaseUrl, action.Finding == FindingKinds.Incident
            ? $"staff/incidents/{Uri.EscapeDataString(action.ItemId)}"
            : $"staff/assignments/{Uri.EscapeDataString(action.AssignmentKey)}");
        var description = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"委託先 / Vendor: {action.VendorName} ({action.VendorId})")
            .AppendLine(CultureInfo.InvariantCulture, $"項目 / Item: {action.ItemId} {action.ItemText.Ja}")
            .AppendLine(CultureInfo.InvariantCulture, $"指摘 / Finding: {FindingKinds.Label(action.Finding).Ja} / {FindingKinds.Label(action.Finding).En} ({action.Severity})")
            .AppendLine(CultureInfo.InvariantCulture, $"回答 / Answer: {action.Answer}")
            .AppendLine(CultureInfo.InvariantCulture, $"依頼内容 / Request: {action.Request.Ja}")
            .AppendLine(CultureInfo.InvariantCulture, $"審査画面 / Review page: {review}")
            .ToString();
        var title = $"{ActionTaskRequest.Marker(action.Id)} {action.VendorName} {action.ItemId}: {Truncate(action.ItemText.Ja, 120)}";
        return new ActionTaskRequest(action.Id, title, description, action.DueOn, action.Owner.EntraObjectId, Priority(action.Severity), Checklist(action));
    }

    /// <summary>The actions a sealed version's findings call for (pure: no storage).</summary>
    public IReadOnlyList<CorrectiveAction> Build(
        SealedPayload payload, ScoreResult score, ResolvedChecklist? checklist, ActionOwner owner, string vendorName, DateOnly today, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(score);
        var settings = options.Value;
        var result = new List<CorrectiveAction>();
        CorrectiveAction New(string itemId, string sectionId, Localized itemText, string kind, string answer, string findingType, string severity, Localized? action, VendorPlan? plan)
        {
            var track = kind == FindingKinds.PartialPlanned ? ActionTracks.Plan : ActionTracks.Action;
            var status = track == ActionTracks.Plan ? ActionStatuses.Planned : plan is { AcceptRiskRequested: true } ? ActionStatuses.RiskReview : ActionStatuses.Open;
            var dueOn = track == ActionTracks.Plan ? plan!.PlannedOn!.Value : today.AddDays(settings.DaysFor(severity));
            var remedy = findingType == "people" ? "training" : "improvement";
            return new CorrectiveAction
            {
                Id = IdFor(payload.Assignment.VendorId, payload.Assignment.Key, itemId, kind == FindingKinds.MissingDocument ? "document" : "answer"),
                VendorId = payload.Assignment.VendorId,
                VendorName = vendorName,
                AssignmentKey = payload.Assignment.Key,
                Version = payload.Version,
                ItemId = itemId,
                SectionId = sectionId,
                ItemText = itemText,
                Finding = kind,
                Answer = answer,
                Remedy = remedy,
                Severity = severity,
                Track = track,
                Status = status,
                DueOn = dueOn,
                Owner = owner,
                Request = RequestFor(kind, remedy, itemText, action, dueOn),
                Plan = plan,
                CreatedAt = now,
                History = [new ActionEvent(now, "portal", "raised", $"v{payload.Version.ToString(CultureInfo.InvariantCulture)}")],
            };
        }

        foreach (var finding in score.Findings)
        {
            var answer = payload.Answers.GetValueOrDefault(finding.ItemId);
            var plan = answer is null || (answer.PlannedOn is null && answer.Measure is null && answer.Reason is null && answer.AcceptRisk is null)
                ? null
                : new VendorPlan(answer.PlannedOn is null ? null : DateOnly.ParseExact(answer.PlannedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), answer.Measure, answer.Reason, answer.AcceptRisk == true);
            var kind = finding.Answer == ScoringEngine.Reassessed ? FindingKinds.ReviewerOverride
                : finding.Critical ? FindingKinds.CriticalFailed
                : answer?.Status == StatusAnswers.Partial ? (plan?.PlannedOn is null ? FindingKinds.PartialUnplanned : FindingKinds.PartialPlanned)
                : FindingKinds.NotDone;
            // A failed critical item is never left to a risk acceptance: the vendor's request is shown, the action stays open.
            if (kind == FindingKinds.CriticalFailed && plan is { AcceptRiskRequested: true })
            {
                plan = plan with { AcceptRiskRequested = false };
            }

            result.Add(New(finding.ItemId, finding.SectionId, finding.Text, kind, AnswerText(finding.Answer), finding.Type, finding.Severity, finding.Action, plan));
        }

        foreach (var (section, item) in checklist?.Items ?? [])
        {
            if (item.Evidence == "required" && payload.Answers.GetValueOrDefault(item.Id) is { Status: StatusAnswers.Done or StatusAnswers.Partial } answered
                && !payload.Evidence.Any(file => file.ItemId == item.Id))
            {
                result.Add(New(item.Id, section.Id, item.Text, FindingKinds.MissingDocument, AnswerText(answered.Status!), "process", ScoringEngine.Severity(item), null, null));
            }
        }

        return result;
    }

    /// <summary>"{vendorId}.{first 8 hex of SHA-256(survey|item|what)}": the same finding of the same survey always has the same id.</summary>
    public static string IdFor(string vendorId, string assignmentKey, string itemId, string what) =>
        $"{vendorId}.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{assignmentKey}|{itemId}|{what}")))[..8]}";

    /// <summary>Planner's priorities: 1 urgent, 3 important, 5 medium, 9 low.</summary>
    public static int Priority(string severity) => severity switch
    {
        "critical" => 1,
        "high" => 3,
        "medium" => 5,
        _ => 9,
    };

    private static IReadOnlyList<string> Checklist(CorrectiveAction action) =>
    [
        "委託先へ是正を依頼 / Ask the vendor for remediation",
        action.Remedy == "training" ? "教育の実施記録を受領 / Receive the training record" : "改善内容・証跡を受領 / Receive the improvement and its evidence",
        "証跡を確認しポータルで承認 / Verify the evidence and accept it in the portal",
        "効果確認 / Check that it works",
    ];

    private static Localized RequestFor(string kind, string remedy, Localized item, Localized? action, DateOnly dueOn)
    {
        var due = dueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var dueJa = dueOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
        if (kind == FindingKinds.PartialPlanned)
        {
            return new($"「{item.Ja}」は {dueJa} までに対応予定と伺っています。完了しましたら、その内容と証跡をご報告ください。",
                $"You plan to complete \"{item.En}\" by {due}. When it is done, please report what was done with its evidence.");
        }

        var (whatJa, whatEn) = kind == FindingKinds.MissingDocument
            ? ("必要な書類をご提出ください。", "Please send the required document.")
            : ToVendor(action) ?? (remedy == "training"
                ? ("関係者への教育を実施し、その記録をご提出ください。", "Please train the staff concerned and send the training record.")
                : ("手順・仕組みを改善し、改善後の規程や記録をご提出ください。", "Please improve the procedure or system and send the revised rules or records."));
        return new($"「{item.Ja}」について：{whatJa}是正内容の説明と証跡を {dueJa} までにご提出ください。",
            $"\"{item.En}\": {whatEn} Please send a statement of what was done and its evidence by {due}.");
    }

    /// <summary>
    /// The checklist's recommended action is written for our staff (「…よう指導する。」, "Guide the vendor to …"): the
    /// vendor reads it as a request addressed to them. Null when it is not in that form (the generic request is used).
    /// </summary>
    private static (string Ja, string En)? ToVendor(Localized? action)
    {
        const string GuideJa = "よう指導する。";
        const string GuideEn = "Guide the vendor to ";
        if (action is null || !action.Ja.EndsWith(GuideJa, StringComparison.Ordinal) || !action.En.StartsWith(GuideEn, StringComparison.Ordinal))
        {
            return null;
        }

        var en = action.En[GuideEn.Length..].Replace("the vendor's", "your", StringComparison.Ordinal);
        return (action.Ja[..^GuideJa.Length] + "ようお願いいたします。", "Please " + en.TrimEnd('.') + ".");
    }

    private static string AnswerText(string answer) => answer switch
    {
        StatusAnswers.Done => "○",
        StatusAnswers.Partial => "△",
        StatusAnswers.NotDone => "×",
        _ => StatusAnswers.LabelFor(answer)?.Ja ?? answer,
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} corrective action(s) raised from {AssignmentKey} v{Version}")]
    private partial void LogRaised(int count, string assignmentKey, int version);
}
