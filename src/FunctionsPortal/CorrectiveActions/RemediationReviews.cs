using System.Globalization;
using FunctionsPortal.Audit;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Staff decide on a vendor's remediation (verify it, or send it back with a message the vendor sees) and on a request
/// to accept a residual risk (accept it until a date, or refuse it so the vendor remediates). Each decision is one
/// read-modify-write of the action and one audit record; closing an action completes its task through every task outbox
/// (asking again after an interruption is harmless: the outbox completes a task once).
/// </summary>
public sealed class RemediationReviews(
    CorrectiveActionStore actions, IEnumerable<IActionTaskOutbox> tasks, AuditTrail audit, IOptions<CorrectiveActionOptions> options, TimeProvider clock)
{
    public const int MaxMessageLength = 4000;

    /// <summary>Submitted → verified; the task is completed. Verifying a verified action again only makes sure its task is complete.</summary>
    public async Task<RemediationDecision> VerifyAsync(string id, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = clock.GetUtcNow();
        var outcome = await DecideAsync(id, by, AuditActions.RemediationVerified, ActionStatuses.Submitted, ActionStatuses.Verified, current => current with
        {
            Status = ActionStatuses.Verified,
            Remediation = current.Remediation! with { VerifiedBy = by, VerifiedAt = now },
            History = [.. current.History, new ActionEvent(now, by, "verified", $"#{current.Remediation!.Number.ToString(CultureInfo.InvariantCulture)}")],
        }, cancellationToken);
        if (outcome.Result is DecisionResult.Done or DecisionResult.AlreadyDone)
        {
            await CompleteTaskAsync(outcome.Action!.Id, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Submitted → returned with a message the vendor reads on its actions page; the vendor can submit again.</summary>
    public async Task<RemediationDecision> ReturnAsync(string id, string message, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = clock.GetUtcNow();
        var text = Limit(message);
        return await DecideAsync(id, by, AuditActions.RemediationReturned, ActionStatuses.Submitted, ActionStatuses.Returned, current => current with
        {
            Status = ActionStatuses.Returned,
            ReturnedMessage = text,
            History = [.. current.History, new ActionEvent(now, by, "returned", text)],
        }, cancellationToken, auditNote: text);
    }

    /// <summary>Risk review → risk accepted until <paramref name="until"/> (default: today plus CorrectiveActions:RiskAcceptanceDays); the task is completed.</summary>
    public async Task<RemediationDecision> AcceptRiskAsync(string id, string reason, DateOnly? until, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = clock.GetUtcNow();
        var today = Today();
        var acceptedUntil = until ?? today.AddDays(options.Value.RiskAcceptanceDays);
        if (acceptedUntil <= today)
        {
            throw new ArgumentOutOfRangeException(nameof(until), "A risk is accepted until a date after today.");
        }

        var text = Limit(reason);
        var outcome = await DecideAsync(id, by, AuditActions.RiskAccepted, ActionStatuses.RiskReview, ActionStatuses.RiskAccepted, current => current with
        {
            Status = ActionStatuses.RiskAccepted,
            RiskAcceptance = new RiskAcceptance(by, text, acceptedUntil, now),
            History = [.. current.History, new ActionEvent(now, by, "risk-accepted", $"{text} (~{acceptedUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})")],
        }, cancellationToken, auditNote: text, auditUntil: acceptedUntil);
        if (outcome.Result is DecisionResult.Done or DecisionResult.AlreadyDone)
        {
            await CompleteTaskAsync(outcome.Action!.Id, cancellationToken);
        }

        return outcome;
    }

    /// <summary>Risk review → open: the vendor is told why (the message on its actions page) and remediates instead.</summary>
    public async Task<RemediationDecision> RefuseRiskAsync(string id, string reason, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = clock.GetUtcNow();
        var text = Limit(reason);
        // "open" is also where a refused action ends up, so a repeat of the refusal cannot be told apart: history decides.
        return await DecideAsync(id, by, AuditActions.RiskAcceptanceRefused, ActionStatuses.RiskReview, null, current => current with
        {
            Status = ActionStatuses.Open,
            ReturnedMessage = text,
            History = [.. current.History, new ActionEvent(now, by, "risk-refused", text)],
        }, cancellationToken, auditNote: text);
    }

    public DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).DateTime);

    private async Task<RemediationDecision> DecideAsync(
        string id, string by, string auditAction, string from, string? to, Func<CorrectiveAction, CorrectiveAction> change, CancellationToken cancellationToken,
        string? auditNote = null, DateOnly? auditUntil = null)
    {
        string? wrongStatus = null;
        var update = await actions.UpdateAsync(id, current =>
        {
            wrongStatus = null;
            if (current.Status != from)
            {
                wrongStatus = current.Status;
                return null;
            }

            return change(current);
        }, cancellationToken);
        if (update is null)
        {
            return new RemediationDecision(DecisionResult.NotFound, null);
        }

        if (!update.Changed)
        {
            return new RemediationDecision(wrongStatus == to ? DecisionResult.AlreadyDone : DecisionResult.WrongStatus, update.After);
        }

        await audit.AppendAsync(new AuditEntry(update.After.VendorId, auditAction, by, update.After.Id,
            Before: new { status = update.Before.Status },
            After: new { status = update.After.Status, note = auditNote, until = auditUntil, remediation = update.After.Remediation?.Number }), cancellationToken);
        return new RemediationDecision(DecisionResult.Done, update.After);
    }

    private async Task CompleteTaskAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var outbox in tasks)
        {
            await outbox.CompleteAsync(id, cancellationToken);
        }
    }

    private static string Limit(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxMessageLength ? trimmed : trimmed[..MaxMessageLength];
    }
}

public enum DecisionResult
{
    Done,

    /// <summary>The action is already where this decision would put it (a repeated click): nothing changed.</summary>
    AlreadyDone,

    NotFound,

    /// <summary>The action is not in the status this decision applies to.</summary>
    WrongStatus,
}

public sealed record RemediationDecision(DecisionResult Result, CorrectiveAction? Action);
