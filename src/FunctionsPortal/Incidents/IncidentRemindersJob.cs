using FunctionsPortal.Jobs;
using FunctionsPortal.Mail;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Timer function (daily, 09:00 in Japan): for every open reportable incident (one range query over the open index),
/// reminds staff of the preliminary report from day 3 until it (or the final report) is recorded, and of the final
/// report from two days before it is due until it is recorded. One mail per incident, step, day and recipient (the outbox
/// row's key), however often the job runs. It also re-asks for the "reported" mails, which finishes any that a crash
/// interrupted (their rows exist once, so nothing is sent twice).
/// </summary>
internal sealed partial class IncidentRemindersJob(
    IncidentStore store, IncidentReports reports, IncidentClock incidentClock, VendorRegistry registry, MailOutbox outbox, TimeProvider clock,
    ILogger<IncidentRemindersJob> logger) : IFunctionJob
{
    public const string FunctionName = "SendIncidentReminders";

    /// <summary>The final report is reminded of from this many days before its deadline.</summary>
    public const int FinalReminderDays = 2;

    public async Task RunAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var due = await RemindAsync(cancellationToken);
        LogDone(due);
    }

    /// <summary>Asks for today's reminders; returns how many (incident, step) reminders are due today.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var today = IncidentClock.JapanDay(clock.GetUtcNow());
        var due = 0;
        foreach (var incident in await store.ListOpenAsync(cancellationToken))
        {
            var vendor = await registry.RecordAsync(incident.VendorId, cancellationToken);
            await reports.MailStaffAsync(incident, vendor, cancellationToken);
            var assessment = incidentClock.Assess(incident);
            if (!assessment.Reportable || incident.FinalReportedAt is not null)
            {
                continue;
            }

            var steps = new List<string>();
            if (incident.PreliminaryReportedAt is null && today >= IncidentClock.JapanDay(assessment.PreliminaryDueFrom))
            {
                steps.Add(IncidentMailComposer.Preliminary);
            }

            if (today.AddDays(FinalReminderDays) >= IncidentClock.JapanDay(assessment.FinalDueBy))
            {
                steps.Add(IncidentMailComposer.Final);
            }

            foreach (var step in steps)
            {
                due++;
                foreach (var address in reports.Recipients(vendor))
                {
                    await outbox.DeliverAsync(new MailRequest(
                        IncidentReports.MailOwner(incident.Id), $"{step}~{today:yyyyMMdd}~{IncidentReports.AddressKey(address)}", IncidentMailComposer.DeadlinePurpose, address), cancellationToken);
                }
            }
        }

        return due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident deadlines checked: {Due} reminder(s) due today (each mailed once per recipient)")]
    private partial void LogDone(int due);
}
