using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.Reviews;
using FunctionsPortal.Scoring;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.ManagementLevels;

/// <summary>
/// Keeps each vendor's management level (<see cref="ManagementPolicy"/>): records occurrences (failed critical items and
/// repeat findings from the corrective actions, overdue actions from the daily run, incidents from staff), takes a
/// reviewer's decision, sends each managed period's themed self-inspections when they fall due, and reads their
/// acceptance as the check's outcome. Every level change lands in the vendor's audit chain.
/// </summary>
public sealed partial class ManagementTracker(
    ManagementStore store, AssignmentStore assignments, VendorStore vendors, ChecklistLibrary checklists, SurveyMailRequests mail, AuditTrail audit,
    IOptions<ManagementOptions> options, TimeProvider clock, ILogger<ManagementTracker> logger) : IAcceptedSubmissionSink
{
    public const string CyclePrefix = "managed-";

    public Task<VendorManagement> GetAsync(string vendorId, CancellationToken cancellationToken) => store.GetAsync(vendorId, cancellationToken);

    /// <summary>Records an occurrence (once per kind and reference) and moves the level as seed 004 says.</summary>
    public async Task<VendorManagement> RecordOccurrenceAsync(string vendorId, Occurrence occurrence, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        var (before, after) = await store.UpdateAsync(vendorId, state => ManagementPolicy.Record(state, occurrence, options.Value.Themes, clock.GetUtcNow()), cancellationToken);
        await AuditChangeAsync(before, after, by, new { occurrence = occurrence.Kind, reference = occurrence.Reference, on = occurrence.On }, cancellationToken);
        return after;
    }

    /// <summary>A reviewer sets the level (I, II or normal) with a reason.</summary>
    public async Task<VendorManagement> DecideAsync(string vendorId, string level, string reason, string by, CancellationToken cancellationToken)
    {
        var (before, after) = await store.UpdateAsync(vendorId, state => ManagementPolicy.Decide(state, level, reason.Trim(), by, Today(), options.Value.Themes, clock.GetUtcNow()), cancellationToken);
        await AuditChangeAsync(before, after, by, new { reason = reason.Trim() }, cancellationToken, force: true);
        return after;
    }

    /// <summary>
    /// Sends every managed vendor's checks that fall due within <see cref="ManagementOptions.SendDaysBefore"/> days: an
    /// interim survey (its own cycle, outside the yearly plan) with an invitation. Returns how many were sent.
    /// </summary>
    public async Task<int> SendDueChecksAsync(CancellationToken cancellationToken)
    {
        var horizon = Today().AddDays(options.Value.SendDaysBefore);
        var sent = 0;
        foreach (var managed in await store.ListManagedAsync(cancellationToken))
        {
            foreach (var check in managed.Checks.Where(check => check.AssignmentKey is null && check.DueOn <= horizon))
            {
                if (await SendCheckAsync(managed.VendorId, check, cancellationToken) is { } key)
                {
                    sent++;
                    await store.UpdateAsync(managed.VendorId, state => state with
                    {
                        Checks = [.. state.Checks.Select(candidate => candidate == check ? candidate with { AssignmentKey = key } : candidate)],
                    }, cancellationToken);
                }
            }
        }

        return sent;
    }

    /// <summary>A check's survey accepted: passed when it has no failed critical item and needs no correction.</summary>
    public async Task AcceptedAsync(Assignment accepted, ScoreResult? score, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        if (!accepted.Cycle.StartsWith(CyclePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var passed = score is { CriticalFailed: false, Verdict: Verdicts.Passed or Verdicts.PassedWithFindings };
        var (before, after) = await store.UpdateAsync(accepted.VendorId, state => ManagementPolicy.CheckDecided(state, accepted.Key, passed, Today(), by, options.Value.Themes, clock.GetUtcNow()), cancellationToken);
        await AuditChangeAsync(before, after, by, new { check = accepted.Key, passed }, cancellationToken);
    }

    private async Task<string?> SendCheckAsync(string vendorId, ScheduledCheck check, CancellationToken cancellationToken)
    {
        if (await vendors.FindAsync(vendorId, cancellationToken) is not { } vendor || await checklists.InfoAsync(check.ChecklistId, 1, cancellationToken) is null)
        {
            LogCheckNotSent(vendorId, check.ChecklistId);
            return null;
        }

        var officer = vendor.Vendor.ResponsibleOfficer;
        var assignment = new Assignment
        {
            Cycle = $"{CyclePrefix}{check.DueOn:yyyy-MM-dd}",
            VendorId = vendorId,
            Kind = SurveyKinds.Interim,
            ChecklistId = check.ChecklistId,
            ChecklistVersion = 1,
            DueOn = check.DueOn,
            RecipientEmail = officer?.Email,
            RecipientName = officer?.Name,
            RecipientProblem = VendorValidator.IsEmail(officer?.Email) ? null : $"The responsible officer has no valid e-mail address ('{officer?.Email}'): fix the vendor record, then resend.",
            CreatedAt = clock.GetUtcNow(),
        };
        await assignments.CreateManyAsync([assignment], cancellationToken);
        await checklists.MarkUsedAsync(check.ChecklistId, 1, "management-levels", cancellationToken);
        if (assignment.RecipientProblem is null)
        {
            // Asking twice is harmless: the outbox sends each invitation once.
            await mail.EnqueueAsync(new SurveyMailMessage(assignment.Key, "invitation"), cancellationToken);
        }

        return assignment.Key;
    }

    private async Task AuditChangeAsync(VendorManagement before, VendorManagement after, string by, object details, CancellationToken cancellationToken, bool force = false)
    {
        if (force || before.Level != after.Level || before.Since != after.Since)
        {
            LogLevelChanged(after.VendorId, before.Level, after.Level, after.Reason);
            await audit.AppendAsync(new AuditEntry(after.VendorId, AuditActions.ManagementLevelChanged, by, after.VendorId,
                new { level = before.Level, managedUntil = before.ManagedUntil },
                new { level = after.Level, managedUntil = after.ManagedUntil, reason = after.Reason, details }), cancellationToken);
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(SurveyLinks.Japan).DateTime);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vendor {VendorId}: management level {From} → {To} ({Reason})")]
    private partial void LogLevelChanged(string vendorId, string from, string to, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vendor {VendorId}: the themed check with {ChecklistId} could not be sent (vendor or checklist v1 missing)")]
    private partial void LogCheckNotSent(string vendorId, string checklistId);
}
