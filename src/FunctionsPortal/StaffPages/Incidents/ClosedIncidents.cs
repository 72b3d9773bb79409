using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Incidents;
using FunctionsPortal.Storage;

namespace FunctionsPortal.StaffPages.Incidents;

/// <summary>
/// The closed incidents the staff list shows below the open ones: those we became aware of in the last
/// <see cref="Months"/> months. An adapter over the core's table (the store lists open incidents and one vendor's,
/// not closed ones): one range query over the record rows in the one partition — ids begin with the day we became
/// aware, so the range starts at that day — filtered on the status, never a scan.
/// </summary>
public sealed class ClosedIncidents(PortalStorage storage)
{
    public const int Months = 12;

    public async Task<IReadOnlyList<Incident>> RecentAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = IncidentClock.JapanDay(now).AddMonths(-Months).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {IncidentStore.Partition} and RowKey ge {IncidentStore.RecordKey("inc-" + since)} and RowKey lt {"r."} and Status eq {IncidentStatuses.Closed}");
        var found = new List<Incident>();
        await foreach (var row in storage.GetTable(IncidentStore.TableName).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(JsonSerializer.Deserialize<Incident>(row.GetString("Data"), IncidentStore.Json)!);
        }

        return found;
    }
}
