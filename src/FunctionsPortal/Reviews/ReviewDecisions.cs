using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.Mail;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Reviews;

/// <summary>
/// A reviewer's decisions on a submission, the same from the API and the staff pages: accept it, or send it back with
/// a message the vendor sees on its pages and by mail (with a fresh link); notes for staff only; reassessing an item
/// with a reason. Accepting despite a failed critical item takes a reason and, when
/// <see cref="ReviewOptions.RequireSecondReviewer"/> is on, a second, different reviewer. Every decision, note and
/// reassessment lands in the vendor's audit chain, after it succeeded.
/// </summary>
public sealed class ReviewDecisions(
    AssignmentStore store, ReviewRecords records, SubmissionStore submissions, ChecklistLibrary checklists, MailOutbox outbox, SurveyMailRequests mail,
    AuditTrail audit, IOptions<ReviewOptions> options, TimeProvider clock, IEnumerable<IAcceptedSubmissionSink>? sinks = null)
{
    /// <summary>
    /// Accepts the latest submission, or records the first of two approvals. A status that allows no decision throws
    /// <see cref="InvalidTransitionException"/>.
    /// </summary>
    public async Task<AcceptOutcome> AcceptAsync(string key, string by, string? reason, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(key, cancellationToken) is not { } assignment)
        {
            return new AcceptOutcome(AcceptResult.NotFound, null);
        }

        if (!IsDecidable(assignment))
        {
            throw new InvalidTransitionException(key, assignment.Status, AssignmentStatus.Accepted);
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var state = await records.ReadAsync(key, cancellationToken);
        var sealedScore = assignment.SubmittedVersion is { } version ? await submissions.ReadScoreAsync(key, version, cancellationToken) : null;
        var score = sealedScore is null ? null : await ReassessedAsync(sealedScore, state.ReassessmentsOf(assignment.SubmittedVersion!.Value), cancellationToken);
        if (score is not { CriticalFailed: true })
        {
            return await AcceptedAsync(await store.DecideAsync(key, AssignmentStatus.Accepted, reason, by, clock.GetUtcNow(), cancellationToken), score, by, reason, cancellationToken);
        }

        if (reason is null)
        {
            return new AcceptOutcome(AcceptResult.ReasonRequired, assignment);
        }

        if (!options.Value.RequireSecondReviewer)
        {
            return await AcceptedAsync(
                await store.DecideAsync(key, AssignmentStatus.Accepted, $"重要項目不適合のまま受理 / Accepted with a failed critical item: {reason}", by, clock.GetUtcNow(), cancellationToken),
                score, by, reason, cancellationToken);
        }

        // The second-line check: one reviewer's approval is recorded; a different reviewer's makes it an acceptance.
        var submitted = assignment.SubmittedVersion!.Value;
        var first = state.ApprovalOf(submitted);
        if (first is null)
        {
            var at = clock.GetUtcNow();
            if (await records.TryAddFirstApprovalAsync(key, new FirstApproval(submitted, reason, by, at), cancellationToken))
            {
                var underReview = assignment.Status == AssignmentStatus.UnderReview
                    ? assignment
                    : await store.TransitionAsync(key, AssignmentStatus.UnderReview, by, $"一次承認（二次承認待ち）/ First approval, awaiting a second reviewer: {reason}", at, cancellationToken);
                await audit.AppendAsync(new AuditEntry(assignment.VendorId, AuditActions.ReviewFirstApproval, by, key,
                    new { status = assignment.Status }, new { status = underReview?.Status, version = submitted, reason }), cancellationToken);
                return new AcceptOutcome(AcceptResult.AwaitingSecondReviewer, underReview);
            }

            first = (await records.ReadAsync(key, cancellationToken)).ApprovalOf(submitted)!;
        }

        if (string.Equals(first.By, by, StringComparison.OrdinalIgnoreCase))
        {
            return new AcceptOutcome(AcceptResult.SameReviewer, assignment);
        }

        var note = $"二次承認（一次承認: {first.By}「{first.Reason}」）/ Second approval (first: {first.By}): {reason}";
        return await AcceptedAsync(await store.DecideAsync(key, AssignmentStatus.Accepted, note, by, clock.GetUtcNow(), cancellationToken), score, by, reason, cancellationToken, first.By);
    }

    /// <returns>The assignment as decided; null when there is none. A status that allows no decision throws <see cref="InvalidTransitionException"/>.</returns>
    public async Task<Assignment?> RequestChangesAsync(string key, string message, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var decided = await store.DecideAsync(key, AssignmentStatus.ChangesRequested, message.Trim(), by, clock.GetUtcNow(), cancellationToken);
        if (decided is not null)
        {
            // The vendor hears of it by mail, with a fresh link to its pages (the n-th request is its own outbox row).
            var requests = (await outbox.ListAsync(key, cancellationToken)).Count(sent => sent.Kind.StartsWith("changes-", StringComparison.Ordinal));
            await mail.EnqueueAsync(new SurveyMailMessage(key, $"changes-{requests + 1}"), cancellationToken);
            await AuditDecisionAsync(decided, AuditActions.ReviewChangesRequested, by, new { message = decided.ChangesRequestedMessage }, cancellationToken);
        }

        return decided;
    }

    /// <summary>A note for staff only; null when there is no such assignment.</summary>
    public async Task<ReviewNote?> AddNoteAsync(string key, string text, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (await store.FindAsync(key, cancellationToken) is null)
        {
            return null;
        }

        var note = new ReviewNote(text.Trim(), by, clock.GetUtcNow());
        await records.AddNoteAsync(key, note, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AssignmentKey.Parse(key)!.Value.VendorId, AuditActions.ReviewNoteAdded, by, key, After: new { note = note.Text }), cancellationToken);
        return note;
    }

    /// <summary>
    /// Reassesses one scored item of the latest submission (points 0, ½ or 1; null clears an earlier reassessment), with
    /// a mandatory reason. Refused on a decided or unsealed assignment and on an item that was not scored.
    /// </summary>
    public async Task<ReassessOutcome> ReassessAsync(string key, string itemId, decimal? points, string? reason, string by, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(key, cancellationToken) is not { SubmittedVersion: { } version } assignment)
        {
            return ReassessOutcome.NotFound;
        }

        if (!IsDecidable(assignment))
        {
            return ReassessOutcome.AlreadyDecided;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return ReassessOutcome.ReasonRequired;
        }

        var sealedScore = await submissions.ReadScoreAsync(key, version, cancellationToken);
        if (sealedScore?.Items.FirstOrDefault(item => item.ItemId == itemId) is not { Outcome: ItemScore.Scored })
        {
            return ReassessOutcome.NotScored;
        }

        if (points is not (null or 0m or 0.5m or 1m))
        {
            return ReassessOutcome.InvalidPoints;
        }

        var before = (await records.ReadAsync(key, cancellationToken)).ReassessmentsOf(version).GetValueOrDefault(itemId);
        if (points is null)
        {
            await records.ClearReassessmentAsync(key, version, itemId, cancellationToken);
        }
        else
        {
            await records.SetReassessmentAsync(key, new Reassessment(version, itemId, points.Value, reason.Trim(), by, clock.GetUtcNow()), cancellationToken);
        }

        await audit.AppendAsync(new AuditEntry(assignment.VendorId, AuditActions.ReviewItemReassessed, by, key,
            new { version, item = itemId, sealedPoints = sealedScore.Items.First(item => item.ItemId == itemId).Points, points = before?.Points },
            new { version, item = itemId, points, reason = reason.Trim() }), cancellationToken);
        return ReassessOutcome.Done;
    }

    private async Task<AcceptOutcome> AcceptedAsync(Assignment? decided, ScoreResult? score, string by, string? reason, CancellationToken cancellationToken, string? firstApprovalBy = null)
    {
        if (decided is not null)
        {
            await AuditDecisionAsync(decided, AuditActions.ReviewAccepted, by, new { reason, firstApprovalBy }, cancellationToken);
            foreach (var sink in sinks ?? [])
            {
                await sink.AcceptedAsync(decided, score, by, cancellationToken);
            }
        }

        return new AcceptOutcome(decided is null ? AcceptResult.NotFound : AcceptResult.Accepted, decided);
    }

    /// <summary>Before: the status the decision was taken on (before the review step it implies); after: the decision.</summary>
    private Task AuditDecisionAsync(Assignment decided, string action, string by, object details, CancellationToken cancellationToken)
    {
        var history = decided.History;
        var decision = history[^1];
        var startedReview = history.Count > 1 && history[^2].To == AssignmentStatus.UnderReview && history[^2].At == decision.At;
        var from = startedReview ? history[^2].From : decision.From;
        return audit.AppendAsync(new AuditEntry(decided.VendorId, action, by, decided.Key,
            new { status = from },
            new { status = decided.Status, version = decided.SubmittedVersion, details }), cancellationToken);
    }

    /// <summary>A submission waiting for its decision: submitted, resubmitted or under review.</summary>
    public static bool IsDecidable(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.SubmittedVersion is not null
            && (assignment.Status == AssignmentStatus.UnderReview || AssignmentStatus.CanMove(assignment.Status, AssignmentStatus.UnderReview));
    }

    /// <summary>The latest submission's score with reviewers' reassessments applied (the sealed score when there are none).</summary>
    public async Task<ScoreResult?> ScoreAsync(Assignment assignment, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var sealedScore = await submissions.ReadScoreAsync(assignment.Key, version, cancellationToken);
        return sealedScore is null ? null : await ReassessedAsync(sealedScore, (await records.ReadAsync(assignment.Key, cancellationToken)).ReassessmentsOf(version), cancellationToken);
    }

    /// <summary>The sealed score with these reassessments applied (resolving the checklist only when there are any).</summary>
    public async Task<ScoreResult> ReassessedAsync(ScoreResult sealedScore, IReadOnlyDictionary<string, Reassessment> reassessments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sealedScore);
        ArgumentNullException.ThrowIfNull(reassessments);
        return reassessments.Count == 0 || await checklists.ResolveAsync(sealedScore.ChecklistId, sealedScore.ChecklistVersion, cancellationToken) is not { } checklist
            ? sealedScore
            : Reassessed(checklist, sealedScore, reassessments);
    }

    /// <summary>The sealed score with these reassessments applied, for a caller that has the checklist already.</summary>
    public static ScoreResult Reassessed(ResolvedChecklist checklist, ScoreResult sealedScore, IReadOnlyDictionary<string, Reassessment> reassessments)
    {
        ArgumentNullException.ThrowIfNull(reassessments);
        return ScoringEngine.Reassess(checklist, sealedScore, reassessments.ToDictionary(pair => pair.Key, pair => pair.Value.Points, StringComparer.Ordinal));
    }
}

public enum AcceptResult
{
    Accepted,
    AwaitingSecondReviewer,
    ReasonRequired,
    SameReviewer,
    NotFound,
}

public sealed record AcceptOutcome(AcceptResult Result, Assignment? Assignment);

public enum ReassessOutcome
{
    Done,
    NotFound,
    AlreadyDecided,
    ReasonRequired,
    NotScored,
    InvalidPoints,
}

public sealed class ReviewOptions
{
    public const string SectionName = "Reviews";

    /// <summary>Accepting a submission with a failed critical item takes a second, different reviewer (the second-line check).</summary>
    public bool RequireSecondReviewer { get; set; }
}
