using FunctionsPortal.Mail;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Surveys;

/// <summary>
/// An assignment still <c>scheduled</c> after <see cref="SurveyOptions.InvitationGracePeriod"/> whose invitation has
/// no outbox row lost its queue message: queue it again (the outbox sends each mail once, so a late original message
/// does no harm). One whose invitation was sent but never recorded as invited is settled again. Reads only the cycles
/// that can still be sending — active campaigns, the last year's plan periods, onboarding — one partition each.
/// </summary>
internal sealed partial class InvitationReconciler(
    AssignmentStore assignments,
    CampaignStore campaigns,
    MailOutbox outbox,
    SurveyMailRequests requests,
    SurveyTelemetry telemetry,
    IOptions<SurveyOptions> options,
    TimeProvider clock,
    ILogger<InvitationReconciler> logger) : IOutboxReconciler
{
    public const string InvitationMail = "invitation";

    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settledBefore = now - options.Value.InvitationGracePeriod;
        var requeued = 0;
        foreach (var cycle in await LiveCyclesAsync(now, cancellationToken))
        {
            var missing = new List<SurveyMailMessage>();
            foreach (var assignment in await assignments.ListAsync(new AssignmentQuery(Cycle: cycle, Status: AssignmentStatus.Scheduled), cancellationToken))
            {
                if (assignment.RecipientProblem is not null || assignment.CreatedAt > settledBefore)
                {
                    continue;
                }

                var mail = await outbox.StatusAsync(assignment.Key, InvitationMail, cancellationToken);
                if (mail is null)
                {
                    missing.Add(new SurveyMailMessage(assignment.Key, InvitationMail));
                }
                else if (MailStates.IsFinal(mail.State))
                {
                    // Sent (or refused) but the assignment never heard: settling again records it.
                    await outbox.DriveAsync(assignment.Key, InvitationMail, cancellationToken);
                }

                // A row in progress is the sweep's: it drives rows whose lease or retry time has passed.
            }

            if (missing.Count > 0)
            {
                await requests.EnqueueManyAsync(missing, cancellationToken);
                telemetry.RecordRequeued(cycle, missing.Count);
                LogRequeued(missing.Count, cycle, string.Join(", ", missing.Take(10).Select(message => message.Assignment)));
                requeued += missing.Count;
            }
        }

        return requeued;
    }

    private async Task<IReadOnlyList<string>> LiveCyclesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var japan = DateOnly.FromDateTime(now.ToOffset(SurveyLinks.Japan).DateTime);
        var month = new DateOnly(japan.Year, japan.Month, 1);
        var cycles = (await campaigns.ListAsync(activeOnly: true, cancellationToken)).Select(campaign => campaign.Id).ToList();
        cycles.AddRange(Enumerable.Range(0, 13).Select(back => SurveyCycles.Plan(month.AddMonths(-back))));
        cycles.Add(SurveyPlanner.OnboardingCycle);
        cycles.AddRange(SurveyCycles.RecentTerminations(japan));
        return cycles;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} invitations in {Cycle} had no outbox row after the grace period (lost queue messages): queued again ({Examples})")]
    private partial void LogRequeued(int count, string cycle, string examples);
}
