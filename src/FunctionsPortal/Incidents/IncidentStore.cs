using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Incidents;

/// <summary>
/// Table "incidents", one partition ("inc"). Each incident is three rows written in one transaction: the record
/// (<c>r-{id}</c>, read by key), the open index (<c>o-{id}</c>, deleted in the same transaction that closes it) and the
/// vendor's row (<c>v-{vendorId}~{id}</c>). Index rows carry the whole record, so the open list and a vendor's list are
/// one range query each, never a scan. <see cref="Incident.ETag"/> is the record's revision (<c>"n"</c>); every change
/// is guarded by the record row's storage ETag as well.
/// </summary>
public sealed class IncidentStore(PortalStorage storage)
{
    public const string TableName = "incidents";
    public const string Partition = "inc";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>"inc-yyyyMMdd-{6 lowercase hex}".</summary>
    public static bool IsId(string? id) =>
        id is { Length: 19 } && id.StartsWith("inc-", StringComparison.Ordinal) && id[12] == '-'
        && id[4..12].All(char.IsAsciiDigit) && id[13..].All(char.IsAsciiHexDigitLower);

    /// <summary>Adds the incident (revision 1); false when its id is taken.</summary>
    public async Task<Incident?> TryAddAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var stored = incident with { ETag = Tag(1) };
        try
        {
            await Table.SubmitCheckedTransactionAsync(
                [.. Rows(stored, 1).Select(row => new TableTransactionAction(TableTransactionActionType.Add, row))], cancellationToken);
            return stored;
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            return null;
        }
    }

    /// <summary>One point read.</summary>
    public async Task<Incident?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsId(id))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, RecordKey(id), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    /// <summary>Every open incident, oldest id first: one range query over the open index.</summary>
    public Task<IReadOnlyList<Incident>> ListOpenAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {"o-"} and RowKey lt {"o."}"), cancellationToken);

    /// <summary>
    /// The closed incidents we became aware of since <paramref name="awareSince"/> (Japan day): ids begin with that day, so
    /// this is one range query over the record rows from there, filtered on the status.
    /// </summary>
    public Task<IReadOnlyList<Incident>> ListClosedAsync(DateOnly awareSince, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition} and RowKey ge {RecordKey("inc-" + awareSince.ToString("yyyyMMdd", CultureInfo.InvariantCulture))} and RowKey lt {"r."} and Status eq {IncidentStatuses.Closed}"),
            cancellationToken);

    /// <summary>One vendor's incidents (open and closed): one range query over its rows.</summary>
    public Task<IReadOnlyList<Incident>> ListForVendorAsync(string vendorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vendorId);
        // '\u007f' follows '~' in ordinal order: every key "v-{vendorId}~…" and nothing else.
        return QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {$"v-{vendorId}~"} and RowKey lt {$"v-{vendorId}\u007f"}"), cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> (null: nothing to change) when the incident is still at <paramref name="ifMatch"/>
    /// (null: whatever its revision, re-applied after a lost race). The record, open-index and vendor rows change in one
    /// transaction; closing deletes the open-index row.
    /// </summary>
    public async Task<IncidentUpdate> UpdateAsync(string id, string? ifMatch, Func<Incident, Incident?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            if (!IsId(id))
            {
                return new IncidentUpdate(IncidentUpdateStatus.NotFound, null);
            }

            var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, RecordKey(id), cancellationToken: cancellationToken);
            if (!row.HasValue || row.Value is null)
            {
                return new IncidentUpdate(IncidentUpdateStatus.NotFound, null);
            }

            var current = FromEntity(row.Value);
            if (ifMatch is not null && ifMatch != current.ETag)
            {
                return new IncidentUpdate(IncidentUpdateStatus.Conflict, current);
            }

            if (change(current) is not { } changed)
            {
                return new IncidentUpdate(IncidentUpdateStatus.Unchanged, current);
            }

            var revision = Revision(row.Value) + 1;
            var next = changed with { Id = current.Id, VendorId = current.VendorId, ETag = Tag(revision) };
            var rows = Rows(next, revision);
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, rows[0], row.Value.ETag) };
            if (next.IsOpen)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, rows[1]));
            }
            else if (current.IsOpen)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, OpenKey(id)), Azure.ETag.All));
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, rows[2]));
            try
            {
                await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
                return new IncidentUpdate(IncidentUpdateStatus.Changed, next);
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 412 or 404 && attempt < 5)
            {
                // Someone changed it between our read and write (or the open row went with a close): look again.
            }
        }
    }

    public static string RecordKey(string id) => $"r-{id}";

    public static string OpenKey(string id) => $"o-{id}";

    public static string VendorKey(string vendorId, string id) => $"v-{vendorId}~{id}";

    private static string Tag(int revision) => $"\"{revision.ToString(CultureInfo.InvariantCulture)}\"";

    private static int Revision(TableEntity row) => row.GetInt32("Revision") ?? 1;

    private async Task<IReadOnlyList<Incident>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var found = new List<Incident>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(FromEntity(row));
        }

        return found;
    }

    private static Incident FromEntity(TableEntity row) => JsonSerializer.Deserialize<Incident>(row.GetString("Data"), Json)! with { ETag = Tag(Revision(row)) };

    /// <summary>The record, open-index and vendor rows, in that order.</summary>
    private static TableEntity[] Rows(Incident incident, int revision)
    {
        var data = JsonSerializer.Serialize(incident, Json);
        return [Row(RecordKey(incident.Id)), Row(OpenKey(incident.Id)), Row(VendorKey(incident.VendorId, incident.Id))];

        TableEntity Row(string rowKey) => new(Partition, rowKey)
        {
            ["IncidentId"] = incident.Id,
            ["VendorId"] = incident.VendorId,
            ["Status"] = incident.Status,
            ["Revision"] = revision,
            ["Data"] = data,
        };
    }
}

public enum IncidentUpdateStatus
{
    Changed,
    Unchanged,
    NotFound,

    /// <summary>The incident is no longer at the revision the caller read (If-Match).</summary>
    Conflict,
}

/// <summary>The outcome of a change, with the incident as it is now (null when not found).</summary>
public sealed record IncidentUpdate(IncidentUpdateStatus Status, Incident? Incident);
