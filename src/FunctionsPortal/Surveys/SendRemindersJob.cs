using FunctionsPortal.Jobs;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Timer function: queues each reminder once (the nearest configured day before the due date that has been
/// reached, so a missed day never sends two at once), and after the due date marks the assignment overdue and
/// queues the escalation to the vendor and to our internal owner. Deterministic mail kinds make re-runs harmless.
/// </summary>
internal sealed class SendRemindersJob(
    AssignmentStore assignments,
    SurveyPlanner planner,
    SurveyMailRequests requests,
    IOptions<SurveyOptions> options,
    TimeProvider timeProvider) : IFunctionJob
{
    public const string FunctionName = "SendReminders";

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var today = planner.Today();
        var messages = new List<SurveyMailMessage>();
        var overdue = 0;
        foreach (var status in new[] { AssignmentStatus.Invited, AssignmentStatus.Opened, AssignmentStatus.InProgress, AssignmentStatus.ChangesRequested, AssignmentStatus.Overdue })
        {
            foreach (var assignment in await assignments.ListAsync(new AssignmentQuery(Status: status), cancellationToken))
            {
                var daysLeft = assignment.DueOn.DayNumber - today.DayNumber;
                if (daysLeft < 0)
                {
                    if (assignment.Status != AssignmentStatus.Overdue)
                    {
                        await assignments.TransitionAsync(assignment.Key, AssignmentStatus.Overdue, "reminders", $"Not submitted by {assignment.DueOn:yyyy-MM-dd}", timeProvider.GetUtcNow(), cancellationToken);
                        overdue++;
                    }

                    messages.Add(new SurveyMailMessage(assignment.Key, "overdue-vendor"));
                    messages.Add(new SurveyMailMessage(assignment.Key, "overdue-owner"));
                    continue;
                }

                var reminder = options.Value.ReminderDaysBeforeDue.Where(days => days >= daysLeft).DefaultIfEmpty(-1).Min();
                if (reminder > 0 && assignment.Status != AssignmentStatus.Overdue)
                {
                    messages.Add(new SurveyMailMessage(assignment.Key, $"reminder-{reminder}"));
                }
            }
        }

        await requests.EnqueueManyAsync(messages, cancellationToken);
        invocation.Log($"{messages.Count} reminder or escalation mails queued, {overdue} assignments became overdue");
    }
}
