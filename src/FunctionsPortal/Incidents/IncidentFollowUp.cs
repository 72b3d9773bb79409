using System.Globalization;
using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.CorrectiveActions;
using FunctionsPortal.ManagementLevels;
using FunctionsPortal.Surveys;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>
/// What an incident sets going besides the PPC clock: it counts as an occurrence for the vendor's management level
/// (seed 004: 「事故」 is one of the occurrences), and staff can open corrective actions from it. An action rides on the
/// vendor's latest survey (the survey it reported through, or its newest), so the vendor answers it on its own link like
/// every other action, and its task on the board links back to the incident.
/// </summary>
public sealed class IncidentFollowUp(
    ManagementTracker management, CorrectiveActionStore actions, ActionRaiser raiser, IEnumerable<IActionTaskOutbox> tasks, VendorStore vendors,
    AssignmentStore assignments, AuditTrail audit, IOptions<CorrectiveActionOptions> actionOptions, TimeProvider clock)
{
    /// <summary>Where an incident's actions come from (the finding kind and the checklist section they show under).</summary>
    public const string Finding = FindingKinds.Incident;

    /// <summary>Records the incident as an occurrence on the day we became aware (once per incident: the reference is its id).</summary>
    public async Task RecordOccurrenceAsync(Incident incident, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var note = incident.Report.Summary.Length > 200 ? incident.Report.Summary[..200] + "…" : incident.Report.Summary;
        await management.RecordOccurrenceAsync(incident.VendorId, new Occurrence(IncidentClock.JapanDay(incident.AwareAt), OccurrenceKinds.Incident, incident.Id, note), by, cancellationToken);
    }

    /// <summary>
    /// Opens a corrective action for the incident: the same request twice is the same action (its id is derived from the
    /// incident and the request), so a retried POST adds nothing. Null when the vendor has no survey to carry it.
    /// </summary>
    public async Task<CorrectiveAction?> OpenActionAsync(Incident incident, string request, DateOnly? dueOn, bool critical, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentException.ThrowIfNullOrWhiteSpace(request);
        var now = clock.GetUtcNow();
        var carrier = CarrierOf(incident) ?? await LatestSurveyAsync(incident.VendorId, now, cancellationToken);
        if (carrier is null)
        {
            return null;
        }

        var vendor = await vendors.FindAsync(incident.VendorId, cancellationToken);
        var owner = vendor?.Vendor.InternalOwner is { } internalOwner ? new ActionOwner(internalOwner.Name, internalOwner.Email, internalOwner.EntraObjectId) : new ActionOwner("", "", null);
        var severity = critical ? "critical" : "high";
        var due = dueOn ?? IncidentClock.JapanDay(now).AddDays(actionOptions.Value.DaysFor(severity));
        var summary = incident.Report.Summary.Length > 120 ? incident.Report.Summary[..120] + "…" : incident.Report.Summary;
        var action = new CorrectiveAction
        {
            Id = ActionRaiser.IdFor(incident.VendorId, incident.Id, incident.Id, $"{Finding}|{request.Trim()}"),
            VendorId = incident.VendorId,
            VendorName = vendor?.Vendor.LegalName.Ja ?? incident.VendorId,
            AssignmentKey = carrier,
            Version = 0,
            ItemId = incident.Id,
            SectionId = Finding,
            ItemText = new Localized($"事故・漏えい等（{incident.Id}）: {summary}", $"Incident ({incident.Id}): {summary}"),
            Finding = Finding,
            Answer = Finding,
            Remedy = "improvement",
            Severity = severity,
            Track = ActionTracks.Action,
            Status = ActionStatuses.Open,
            DueOn = due,
            Owner = owner,
            Request = new Localized(request.Trim(), request.Trim()),
            CreatedAt = now,
            History = [new ActionEvent(now, by, "raised", incident.Id)],
        };
        var added = await actions.AddNewAsync([action], cancellationToken);
        if (added.Count > 0)
        {
            await audit.AppendAsync(new AuditEntry(incident.VendorId, IncidentTimeline.CorrectiveActionOpened, by, incident.Id,
                After: new { action = action.Id, dueOn = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), severity }), cancellationToken);
        }

        var stored = await actions.FindAsync(action.Id, cancellationToken) ?? action;
        if (stored.Task is null && stored.IsOpen)
        {
            foreach (var queue in tasks)
            {
                await queue.OpenAsync(raiser.TaskFor(stored), cancellationToken);
            }
        }

        return stored;
    }

    private async Task<string?> LatestSurveyAsync(string vendorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = await assignments.ListForVendorAsync(vendorId, now.AddMonths(-13), cancellationToken);
        return recent.Count > 0 ? recent[0].Key : null;
    }

    /// <summary>The survey a vendor reported through ("vendor:{assignmentKey}"), if it did.</summary>
    private static string? CarrierOf(Incident incident) =>
        incident.ReportedBy.StartsWith("vendor:", StringComparison.Ordinal) ? incident.ReportedBy["vendor:".Length..] : null;
}
