using FunctionsPortal.Audit;

namespace FunctionsPortal.Incidents;

/// <summary>
/// What was done about one incident, and when, read from the audit trail: the records of the incident's vendor
/// chain whose <see cref="AuditRecord.Subject"/> is exactly the incident id, oldest first.
/// </summary>
public static class IncidentTimeline
{
    // The audit action names incidents record (stored and hashed: never rename one).
    public const string Reported = "incident.reported";
    public const string PreliminaryReported = "incident.preliminary-reported";
    public const string FinalReported = "incident.final-reported";
    public const string Closed = "incident.closed";
    public const string CorrectiveActionOpened = "incident.corrective-action-opened";
    public const string DocumentAdded = "incident.document-added";

    private const int PageSize = AuditTrail.MaxPageSize;

    /// <summary>One thing done: when, by whom (the audit's principal), the stored action and how staff read it.</summary>
    public sealed record Entry(long Sequence, DateTimeOffset At, string By, string Action, string Label);

    /// <summary>
    /// Reads the whole vendor chain (a round trip per 200 records): a report draft is asked for rarely, and reading
    /// everything keeps the result right whatever order the incident's records were appended in.
    /// </summary>
    public static async Task<IReadOnlyList<Entry>> BuildAsync(AuditTrail audit, string vendorId, string incidentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(incidentId);
        var entries = new List<Entry>();
        string? continuation = null;
        do
        {
            var page = await audit.ListAsync(vendorId, PageSize, continuation, cancellationToken);
            foreach (var record in page.Records.Where(record => string.Equals(record.Subject, incidentId, StringComparison.Ordinal)))
            {
                entries.Add(new Entry(record.Sequence, record.At, record.By, record.Action, Label(record.Action)));
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        entries.Reverse();
        return entries;
    }

    /// <summary>The incident actions in Japanese; any other action as the audit trail names it (or as itself).</summary>
    public static string Label(string action) => action switch
    {
        Reported => "漏えい等を受付・記録",
        PreliminaryReported => "個人情報保護委員会へ速報を提出",
        FinalReported => "個人情報保護委員会へ確報を提出",
        Closed => "対応を完了（クローズ）",
        CorrectiveActionOpened => "本件の是正措置を起票",
        DocumentAdded => "資料を追加",
        _ => AuditActions.Label(action).Ja,
    };
}
