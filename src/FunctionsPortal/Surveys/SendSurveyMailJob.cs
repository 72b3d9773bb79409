using Azure;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Queue function (queue "survey-mail"): sends one survey mail, or the same mail to a batch of one cycle's assignments,
/// through the outbox — exactly once however often the message arrives. A batch reads its assignments and vendors in
/// one query each and records its sent invitations in one transaction at the end. A deferred mail (throttling, an
/// outage) is queued again on its own for when it may be retried, so a 429 storm never pushes a message into the
/// poison queue.
/// </summary>
internal sealed partial class SendSurveyMailJob(
    AssignmentStore assignments,
    VendorStore vendors,
    MailOutbox outbox,
    SurveyMailRequests requests,
    SurveyLinks links,
    TimeProvider timeProvider,
    ILogger<SendSurveyMailJob> logger) : IFunctionJob
{
    public const string FunctionName = "SendSurveyMail";
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6); // under the queue's 7-day visibility limit

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var message = invocation.GetData<SurveyMailMessage>("message");
        var purpose = PurposeOf(message.Mail);
        if (message.Batch is not { Count: > 0 })
        {
            await SendAsync(invocation, message, purpose, await assignments.FindAsync(message.Assignment, cancellationToken), cancellationToken);
            return;
        }

        var read = await assignments.ReadManyAsync(message.Keys, cancellationToken);
        var vendorsById = await vendors.FindManyAsync(read.Values.Select(row => row.Assignment.VendorId), cancellationToken);
        using var batch = SurveyMailBatch.Begin(read, vendorsById);
        var failures = new List<Exception>();
        foreach (var key in message.Keys)
        {
            try
            {
                await SendAsync(invocation, message with { Assignment = key, Batch = null }, purpose, batch.Assignment(key), cancellationToken);
            }
            catch (Exception exception) when (exception is RequestFailedException or InvalidOperationException or HttpRequestException or TimeoutException)
            {
                // The other mails of the batch still go; the message fails below and comes back (the outbox makes the sent ones no-ops).
                failures.Add(exception);
            }
        }

        var supersede = await assignments.RecordInvitedManyAsync(batch.TakeSent(), timeProvider.GetUtcNow(), cancellationToken);
        foreach (var hash in supersede)
        {
            await links.SupersedeAsync(hash, cancellationToken);
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {message.Keys.Count} survey mails of the batch failed; the message is retried.", failures);
        }
    }

    private static string PurposeOf(string mail) => mail switch
    {
        "invitation" => SurveyMailComposer.InvitationPurpose,
        _ when mail.StartsWith("resend-", StringComparison.Ordinal) => SurveyMailComposer.InvitationPurpose,
        _ when mail.StartsWith("reminder-", StringComparison.Ordinal) => SurveyMailComposer.ReminderPurpose,
        _ when mail.StartsWith("changes-", StringComparison.Ordinal) => SurveyMailComposer.ChangesRequestedPurpose,
        "overdue-vendor" => SurveyMailComposer.OverdueVendorPurpose,
        "overdue-owner" => SurveyMailComposer.OverdueOwnerPurpose,
        SurveyMailComposer.CorrectiveActionsMail => SurveyMailComposer.CorrectiveActionsPurpose,
        _ when mail.StartsWith(SurveyMailComposer.ActionsReminderMailPrefix, StringComparison.Ordinal) => SurveyMailComposer.ActionsReminderPurpose,
        _ => throw new InvalidInvocationException($"Unknown survey mail '{mail}'."),
    };

    private async Task SendAsync(FunctionInvocation invocation, SurveyMailMessage message, string purpose, Assignment? assignment, CancellationToken cancellationToken)
    {
        if (assignment is null)
        {
            LogNothingToDo(message.Assignment, message.Mail, "no such assignment");
            return;
        }

        string? to;
        if (purpose == SurveyMailComposer.OverdueOwnerPurpose)
        {
            to = (SurveyMailBatch.Current?.Vendor(assignment.VendorId) ?? await vendors.FindAsync(assignment.VendorId, cancellationToken))?.Vendor.InternalOwner.Email;
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
