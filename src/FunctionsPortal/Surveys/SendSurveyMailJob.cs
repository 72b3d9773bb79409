using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Queue function (queue "survey-mail"): sends one survey mail through the outbox — exactly once however often the
/// message arrives. A deferred mail (throttling, an outage) is queued again for when it may be retried, so a 429
/// storm never pushes a message into the poison queue.
/// </summary>
internal sealed partial class SendSurveyMailJob(
    AssignmentStore assignments,
    VendorStore vendors,
    MailOutbox outbox,
    SurveyMailRequests requests,
    TimeProvider timeProvider,
    ILogger<SendSurveyMailJob> logger) : IFunctionJob
{
    public const string FunctionName = "SendSurveyMail";
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6); // under the queue's 7-day visibility limit

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var message = invocation.GetData<SurveyMailMessage>("message");
        var assignment = await assignments.FindAsync(message.Assignment, cancellationToken);
        if (assignment is null)
        {
            LogNothingToDo(message.Assignment, message.Mail, "no such assignment");
            return;
        }

        var purpose = message.Mail switch
        {
            "invitation" => SurveyMailComposer.InvitationPurpose,
            var mail when mail.StartsWith("resend-", StringComparison.Ordinal) => SurveyMailComposer.InvitationPurpose,
            var mail when mail.StartsWith("reminder-", StringComparison.Ordinal) => SurveyMailComposer.ReminderPurpose,
            var mail when mail.StartsWith("changes-", StringComparison.Ordinal) => SurveyMailComposer.ChangesRequestedPurpose,
            "overdue-vendor" => SurveyMailComposer.OverdueVendorPurpose,
            "overdue-owner" => SurveyMailComposer.OverdueOwnerPurpose,
            SurveyMailComposer.CorrectiveActionsMail => SurveyMailComposer.CorrectiveActionsPurpose,
            var mail when mail.StartsWith(SurveyMailComposer.ActionsReminderMailPrefix, StringComparison.Ordinal) => SurveyMailComposer.ActionsReminderPurpose,
            _ => throw new InvalidInvocationException($"Unknown survey mail '{message.Mail}'."),
        };

        string? to;
        if (purpose == SurveyMailComposer.OverdueOwnerPurpose)
        {
            to = (await vendors.FindAsync(assignment.VendorId, cancellationToken))?.Vendor.InternalOwner.Email;
        }
        else
        {
            if (assignment.RecipientProblem is not null)
            {
                LogNothingToDo(assignment.Key, message.Mail, assignment.RecipientProblem);
                return;
            }

            to = assignment.RecipientEmail;
        }

        // Corrective actions follow an accepted survey: that mail is the one that goes after the survey is final.
        if (to is null || (AssignmentStatus.IsFinal(assignment.Status) && !(SurveyMailComposer.FollowsAcceptance(purpose) && assignment.Status == AssignmentStatus.Accepted)))
        {
            LogNothingToDo(assignment.Key, message.Mail, to is null ? "no recipient" : $"assignment is {assignment.Status}");
            return;
        }

        var delivery = await outbox.DeliverAsync(new MailRequest(assignment.Key, message.Mail, purpose, to), cancellationToken);
        invocation.Log($"{assignment.Key} {message.Mail}: {delivery.State}");
        if (!MailStates.IsFinal(delivery.State) && delivery.RetryAt is { } retryAt)
        {
            var delay = retryAt - timeProvider.GetUtcNow();
            await requests.EnqueueAsync(message, cancellationToken, delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay > MaxDelay ? MaxDelay : delay);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey mail {Mail} for {Assignment} not sent: {Reason}")]
    private partial void LogNothingToDo(string assignment, string mail, string reason);
}
