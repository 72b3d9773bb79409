using FunctionsPortal.Incidents;

namespace FunctionsPortal.StaffPages.Incidents;

/// <summary>The closed incidents the staff list shows below the open ones: those we became aware of in the last <see cref="Months"/> months.</summary>
public sealed class ClosedIncidents(IncidentStore store)
{
    public const int Months = 12;

    public Task<IReadOnlyList<Incident>> RecentAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.ListClosedAsync(IncidentClock.JapanDay(now).AddMonths(-Months), cancellationToken);
}
