using FunctionsPortal.Audit;
using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Surveys;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.CorrectiveActions;

/// <summary>
/// Timer function (daily, 09:30 in Japan): the vendor is reminded once, CorrectiveActions:ReminderDaysBefore days before an action is due; every corrective action past its due date without verified remediation is
/// escalated to its internal owner by mail — once (the action records it, the outbox row is keyed by the action) — and
/// counts as an occurrence for the vendor's management level (one per survey and day).
/// </summary>
internal sealed partial class FollowUpActionsJob(
    CorrectiveActionStore actions, MailOutbox outbox, SurveyMailRequests vendorMail, ManagementTracker management, AuditTrail audit,
    IOptions<CorrectiveActionOptions> options, TimeProvider clock, ILogger<FollowUpActionsJob> logger) : IFunctionJob
{
    public const string FunctionName = "FollowUpCorrectiveActions";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var reminded = await RemindVendorsAsync(cancellationToken);
        var escalated = await EscalateOverdueAsync(cancellationToken);
        LogDone(reminded, escalated);
    }

    /// <summary>
    /// Reminds the vendor of each action still waiting for its remediation <see cref="CorrectiveActionOptions.ReminderDaysBefore"/>
    /// days before it is due — once per action (recorded on it first), in one mail per survey and due date (the outbox keys it so).
    /// </summary>
    public async Task<int> RemindVendorsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        var from = today.AddDays(options.Value.ReminderDaysBefore);
        var reminded = 0;
        foreach (var action in (await actions.ListAsync(status: null, cancellationToken))
            .Where(action => ActionStatuses.AwaitsVendor(action.Status) && action.RemindedAt is null && action.DueOn >= today && action.DueOn <= from))
        {
            var update = await actions.UpdateAsync(action.Id, current => current.RemindedAt is not null || !ActionStatuses.AwaitsVendor(current.Status) ? null : current with
            {
                RemindedAt = now,
                History = [.. current.History, new ActionEvent(now, "portal", "reminded")],
            }, cancellationToken);
            if (update is { Changed: true })
            {
                reminded++;
                await vendorMail.EnqueueAsync(new SurveyMailMessage(action.AssignmentKey, $"{SurveyMailComposer.ActionsReminderMailPrefix}{action.DueOn:yyyyMMdd}"), cancellationToken);
            }
        }

        return reminded;
    }

    /// <summary>Escalates each overdue action once; returns how many this run escalated.</summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        var escalated = 0;
        foreach (var action in (await actions.ListAsync(status: null, cancellationToken)).Where(action => action.Track == ActionTracks.Action && action.IsOverdue(today) && action.EscalatedAt is null))
        {
            // Claim first (the row's ETag decides between two runs), then mail and record: a crash after the claim
            // leaves the outbox row to the mail sweep and the occurrence to the next run's check below.
            var update = await actions.UpdateAsync(action.Id, current => current.EscalatedAt is not null || !current.IsOverdue(today) ? null : current with
            {
                EscalatedAt = now,
                History = [.. current.History, new ActionEvent(now, "portal", "escalated", current.Owner.Email)],
            }, cancellationToken);
            if (update is not { Changed: true })
            {
                continue;
            }

            escalated++;
            if (action.Owner.Email.Length > 0)
            {
                await outbox.DeliverAsync(new MailRequest(action.Id, "overdue-owner", ActionMailComposer.OverdueOwnerPurpose, action.Owner.Email), cancellationToken);
            }

            await management.RecordOccurrenceAsync(action.VendorId, new Occurrence(today, OccurrenceKinds.OverdueAction, $"{action.AssignmentKey}/overdue", action.ItemId), "portal", cancellationToken);
            await audit.AppendAsync(new AuditEntry(action.VendorId, AuditActions.ActionEscalated, "portal", action.Id,
                new { status = action.Status, dueOn = action.DueOn }, new { escalatedTo = action.Owner.Email }), cancellationToken);
        }

        return escalated;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Corrective actions followed up: {Reminded} vendor reminder(s) queued, {Escalated} overdue action(s) escalated to their owners")]
    private partial void LogDone(int reminded, int escalated);
}
