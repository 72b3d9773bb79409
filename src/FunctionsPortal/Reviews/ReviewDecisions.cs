using FunctionsPortal.Audit;
using FunctionsPortal.Mail;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.Reviews;

/// <summary>
/// A reviewer's decision on a submission, the same from the API and the staff pages: accept it, or send it back with
/// a message the vendor sees on its pages and by mail (with a fresh link); its next submission is a new sealed version.
/// Every decision lands in the vendor's audit chain.
/// </summary>
public sealed class ReviewDecisions(AssignmentStore store, MailOutbox outbox, SurveyMailRequests mail, AuditTrail audit, TimeProvider clock)
{
    /// <returns>The assignment as decided; null when there is none. A status that allows no decision throws <see cref="InvalidTransitionException"/>.</returns>
    public async Task<Assignment?> AcceptAsync(string key, string by, CancellationToken cancellationToken)
    {
        var decided = await store.DecideAsync(key, AssignmentStatus.Accepted, null, by, clock.GetUtcNow(), cancellationToken);
        if (decided is not null)
        {
            await AuditAsync(decided, AuditActions.ReviewAccepted, by, cancellationToken);
        }

        return decided;
    }

    /// <inheritdoc cref="AcceptAsync"/>
    public async Task<Assignment?> RequestChangesAsync(string key, string message, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        var decided = await store.DecideAsync(key, AssignmentStatus.ChangesRequested, message.Trim(), by, clock.GetUtcNow(), cancellationToken);
        if (decided is not null)
        {
            // The vendor hears of it by mail, with a fresh link to its pages (the n-th request is its own outbox row).
            var requests = (await outbox.ListAsync(key, cancellationToken)).Count(sent => sent.Kind.StartsWith("changes-", StringComparison.Ordinal));
            await mail.EnqueueAsync(new SurveyMailMessage(key, $"changes-{requests + 1}"), cancellationToken);
            await AuditAsync(decided, AuditActions.ReviewChangesRequested, by, cancellationToken);
        }

        return decided;
    }

    /// <summary>Before: the status the decision was taken on (before the review step it implies); after: the decision.</summary>
    private Task AuditAsync(Assignment decided, string action, string by, CancellationToken cancellationToken)
    {
        var history = decided.History;
        var decision = history[^1];
        var startedReview = history.Count > 1 && history[^2].To == AssignmentStatus.UnderReview && history[^2].At == decision.At;
        var from = startedReview ? history[^2].From : decision.From;
        return audit.AppendAsync(new AuditEntry(decided.VendorId, action, by, decided.Key,
            new { status = from },
            new { status = decided.Status, version = decided.SubmittedVersion, message = decided.ChangesRequestedMessage }), cancellationToken);
    }
}
