using FunctionsPortal.Audit;
using FunctionsPortal.Mail;

namespace FunctionsPortal.Surveys;

/// <summary>
/// What staff do to one assignment — resend its link, revoke it, cancel the survey, move its due date — the same from
/// the API and the staff pages, each recorded in the vendor's audit chain once it succeeded.
/// </summary>
public sealed class AssignmentActions(AssignmentStore store, MailOutbox outbox, SurveyMailRequests requests, SurveyLinks links, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Mails a new link (the previous one stops working); refused once there is nothing left to answer.</summary>
    public async Task<AssignmentActionResult> ResendAsync(string key, string by, CancellationToken cancellationToken)
    {
        var assignment = await store.FindAsync(key, cancellationToken);
        if (assignment is null)
        {
            return AssignmentActionResult.NotFound;
        }

        if (AssignmentStatus.IsFinal(assignment.Status) || assignment.Status == AssignmentStatus.Submitted)
        {
            return AssignmentActionResult.Refused($"The assignment is {assignment.Status}; there is nothing to answer.");
        }

        if (assignment.RecipientProblem is not null)
        {
            // Staff fixed the address in the registry: take it again before resending.
            assignment = await store.UpdateAsync(key, current => current with { RecipientProblem = null }, cancellationToken) ?? assignment;
        }

        var resends = (await outbox.ListAsync(key, cancellationToken)).Count(mail => mail.Kind.StartsWith("resend-", StringComparison.Ordinal));
        var mail = $"resend-{resends + 1}";
        await requests.EnqueueAsync(new SurveyMailMessage(key, mail), cancellationToken);
        await audit.AppendAsync(new AuditEntry(assignment.VendorId, AuditActions.LinkResent, by, key, After: new { mail }), cancellationToken);
        return AssignmentActionResult.Done(assignment);
    }

    /// <summary>The link stops working at once; the assignment itself is unchanged.</summary>
    public async Task<AssignmentActionResult> RevokeLinkAsync(string key, string by, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(key, cancellationToken) is not { } assignment)
        {
            return AssignmentActionResult.NotFound;
        }

        var revoked = await links.RevokeAsync(key, cancellationToken);
        await audit.AppendAsync(new AuditEntry(assignment.VendorId, AuditActions.LinkRevoked, by, key, After: new { revoked }), cancellationToken);
        return AssignmentActionResult.Done(assignment);
    }

    /// <summary>Cancels the survey (with the reason in its history) and revokes its link.</summary>
    public async Task<AssignmentActionResult> CancelAsync(string key, string? reason, string by, CancellationToken cancellationToken)
    {
        Assignment? cancelled;
        try
        {
            cancelled = await store.TransitionAsync(key, AssignmentStatus.Cancelled, by, reason, clock.GetUtcNow(), cancellationToken);
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentActionResult.Refused(exception.Message);
        }

        if (cancelled is null)
        {
            return AssignmentActionResult.NotFound;
        }

        await links.RevokeAsync(key, cancellationToken);
        await audit.AppendAsync(new AuditEntry(cancelled.VendorId, AuditActions.AssignmentCancelled, by, key,
            new { status = cancelled.History.Count > 0 ? cancelled.History[^1].From : null }, new { status = cancelled.Status, reason }), cancellationToken);
        return AssignmentActionResult.Done(cancelled);
    }

    /// <summary>A new due date (the caller has checked it is in the future); a finished survey is refused.</summary>
    public async Task<AssignmentActionResult> MoveDueDateAsync(string key, DateOnly dueOn, string? reason, string by, CancellationToken cancellationToken)
    {
        // Read first only to record the date being replaced; the move itself re-reads under its ETag.
        if (await store.FindAsync(key, cancellationToken) is not { } previous)
        {
            return AssignmentActionResult.NotFound;
        }

        Assignment? moved;
        try
        {
            moved = await store.MoveDueDateAsync(key, dueOn, reason, by, clock.GetUtcNow(), cancellationToken);
        }
        catch (InvalidTransitionException exception)
        {
            return AssignmentActionResult.Refused(exception.Message);
        }

        if (moved is null)
        {
            return AssignmentActionResult.NotFound;
        }

        await audit.AppendAsync(new AuditEntry(moved.VendorId, AuditActions.AssignmentDueDateMoved, by, key,
            new { dueOn = previous.DueOn }, new { dueOn = moved.DueOn, reason }), cancellationToken);
        return AssignmentActionResult.Done(moved);
    }
}

/// <summary>An action's outcome: done (with the assignment), refused in its current status (why), or no such assignment.</summary>
public sealed record AssignmentActionResult(Assignment? Assignment, string? Refusal)
{
    public static AssignmentActionResult NotFound { get; } = new(null, null);

    public static AssignmentActionResult Refused(string why) => new(null, why);

    public static AssignmentActionResult Done(Assignment assignment) => new(assignment, null);
}
