using System.Globalization;
using FunctionsPortal.Audit;
using FunctionsPortal.Evidence;
using FunctionsPortal.Submissions;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// The vendor hands in remediation for one of its actions: the statement and documents are sealed (numbered 1, 2, … per
/// action, write-once), then the action moves to <see cref="ActionStatuses.Submitted"/> for staff, audited. Only an
/// action of this vendor that awaits the vendor takes it; anything else answers as if there were no such action.
/// </summary>
public sealed class RemediationSubmissions(CorrectiveActionStore actions, RemediationSealer sealer, AuditTrail audit, TimeProvider clock)
{
    public const int MaxStatementLength = 4000;

    public async Task<RemediationSubmitOutcome> SubmitAsync(
        string vendorId, string actionId, string statement, IReadOnlyList<EvidenceFile> files, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(statement);
        ArgumentNullException.ThrowIfNull(files);
        var action = await actions.FindAsync(actionId, cancellationToken);
        if (action is null || action.VendorId != vendorId)
        {
            return new RemediationSubmitOutcome(RemediationSubmitResult.NotFound, null);
        }

        if (!ActionStatuses.AwaitsVendor(action.Status))
        {
            return new RemediationSubmitOutcome(RemediationSubmitResult.NotAwaitingVendor, action);
        }

        var by = $"vendor:{action.VendorId}";
        var sealedNumbers = await sealer.NumbersAsync(action.Id, cancellationToken);
        var number = Math.Max(sealedNumbers.Count == 0 ? 0 : sealedNumbers[^1], action.Remediation?.Number ?? 0) + 1;
        var now = clock.GetUtcNow();
        var payload = new RemediationPayload(
            action.Id, action.VendorId, action.AssignmentKey, action.ItemId, number, statement.Trim(), files.Select(SealedEvidence.From).ToList(),
            now.ToString("O", CultureInfo.InvariantCulture), action.Remediation?.SealSha256);
        if (await sealer.TrySealAsync(payload, cancellationToken) is not { } envelope)
        {
            // Another submit of the same action sealed this number first: the vendor sees the action as it is now.
            return new RemediationSubmitOutcome(RemediationSubmitResult.NotAwaitingVendor, await actions.FindAsync(action.Id, cancellationToken));
        }

        var remediation = new Remediation(number, payload.Statement, files, envelope.Sha256, now);
        var update = await actions.UpdateAsync(action.Id, current =>
            ActionStatuses.AwaitsVendor(current.Status) && (current.Remediation?.Number ?? 0) < number
                ? current with
                {
                    Status = ActionStatuses.Submitted,
                    Remediation = remediation,
                    ReturnedMessage = null,
                    History = [.. current.History, new ActionEvent(now, by, "remediation-submitted", $"#{number.ToString(CultureInfo.InvariantCulture)}")],
                }
                : null,
            cancellationToken);
        if (update is not { Changed: true })
        {
            return new RemediationSubmitOutcome(RemediationSubmitResult.NotAwaitingVendor, update?.After);
        }

        await audit.AppendAsync(new AuditEntry(action.VendorId, AuditActions.RemediationSubmitted, by, action.Id, Before: new { status = action.Status }, After: new
        {
            status = ActionStatuses.Submitted, number, sha256 = envelope.Sha256, keyVersion = envelope.Signature.KeyVersion,
            files = files.Select(file => new { file.FileName, file.Sha256, file.Size }),
        }), cancellationToken);
        return new RemediationSubmitOutcome(RemediationSubmitResult.Submitted, update.After);
    }
}

public enum RemediationSubmitResult
{
    Submitted,

    /// <summary>No such action, or not this vendor's (the same answer either way).</summary>
    NotFound,

    /// <summary>The action does not wait for the vendor now (submitted already, verified, under risk review …).</summary>
    NotAwaitingVendor,
}

public sealed record RemediationSubmitOutcome(RemediationSubmitResult Result, CorrectiveAction? Action);
