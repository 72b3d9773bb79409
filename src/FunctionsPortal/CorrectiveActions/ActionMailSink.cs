using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Submissions;
using FunctionsPortal.Surveys;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// After the raiser (registered after it, so it runs after it), tells the vendor by one mail per survey that findings
/// became corrective actions, with a fresh link to its actions page. The mail's outbox row is keyed by the survey and
/// "corrective-actions", so accepting or sealing again sends nothing more.
/// </summary>
public sealed class ActionMailSink(CorrectiveActionStore actions, SurveyMailRequests mail) : IAcceptedSubmissionSink, ISealedSubmissionSink
{
    public Task AcceptedAsync(Assignment accepted, ScoreResult? score, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        return TellVendorAsync(accepted.VendorId, accepted.Key, cancellationToken);
    }

    public Task SealedAsync(SealedEnvelope envelope, ScoreResult? score, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return TellVendorAsync(envelope.Payload.Assignment.VendorId, envelope.Payload.Assignment.Key, cancellationToken);
    }

    private async Task TellVendorAsync(string vendorId, string assignmentKey, CancellationToken cancellationToken)
    {
        var raised = await actions.ListForVendorAsync(vendorId, cancellationToken);
        if (raised.Any(action => action.AssignmentKey == assignmentKey && action.Track == ActionTracks.Action && action.IsOpen))
        {
            await mail.EnqueueAsync(new SurveyMailMessage(assignmentKey, SurveyMailComposer.CorrectiveActionsMail), cancellationToken);
        }
    }
}
