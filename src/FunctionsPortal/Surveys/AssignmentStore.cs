using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsPortal.Storage;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Surveys;

/// <summary>
/// Table "assignments": PartitionKey = cycle (a campaign or a plan period), RowKey = "{vendorId}~{kind}". One
/// partition per cycle lets a campaign's assignments be created 100 to a transaction and listed in one query; the
/// deterministic key makes creating the same assignment twice (two planner runs, two instances) a no-op.
/// The record is JSON in <c>Data</c>; Status, VendorId, Kind and DueOn are columns for filtering.
/// Every stored change is passed on to the <see cref="IAssignmentChangeSink"/>s (the dashboard's summaries).
/// </summary>
public sealed class AssignmentStore(PortalStorage storage, IEnumerable<IAssignmentChangeSink>? sinks = null, VendorRegistry? registry = null)
{
    public const string TableName = "assignments";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Creates the assignments that do not exist yet; returns those this call created.</summary>
    public async Task<IReadOnlyList<Assignment>> CreateManyAsync(IReadOnlyList<Assignment> assignments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        assignments = await WithSegmentsAsync(assignments, cancellationToken);
        var created = new List<Assignment>();
        foreach (var chunk in assignments.GroupBy(assignment => assignment.Cycle, StringComparer.Ordinal).SelectMany(group => group.Chunk(TableBatch.MaxOperations)))
        {
            var actions = chunk.Select(assignment => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(assignment))).ToList();
            try
            {
                await Table.SubmitCheckedTransactionAsync(actions, cancellationToken);
                created.AddRange(chunk);
            }
            catch (TableTransactionFailedException exception) when (exception.Status == 409)
            {
                // Some exist already (a re-run): fall back to one-by-one so the new ones are still created.
                foreach (var assignment in chunk)
                {
                    if (await Table.TryAddAsync(ToEntity(assignment), cancellationToken))
                    {
                        created.Add(assignment);
                    }
                }
            }
        }

        await NotifyAsync(created, cancellationToken);
        return created;
    }

    public async Task<Assignment?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(key, cancellationToken);
        return row?.Assignment;
    }

    /// <summary>Those of the assignments with these keys that exist, by key: per cycle, point reads for a few, one partition query for many.</summary>
    public async Task<IReadOnlyDictionary<string, Assignment>> FindManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, Assignment>(StringComparer.Ordinal);
        foreach (var cycle in keys.Select(AssignmentKey.Parse).OfType<(string Cycle, string VendorId, string Kind)>().GroupBy(parts => parts.Cycle, StringComparer.Ordinal))
        {
            var rows = await Table.ReadManyAsync(cycle.Key, cycle.Select(parts => $"{parts.VendorId}~{parts.Kind}").ToList(), cancellationToken);
            foreach (var assignment in rows.Values.Select(FromEntity))
            {
                found[assignment.Key] = assignment;
            }
        }

        return found;
    }

    /// <summary>
    /// Read-modify-write under the ETag: <paramref name="change"/> returns the new record, or null for "no change";
    /// it may run more than once when someone else wrote in between. Returns the stored record (null if none).
    /// For fields other than Status and History: those change only through the methods below, which keep to
    /// <see cref="AssignmentStatus.CanMove"/>.
    /// </summary>
    public async Task<Assignment?> UpdateAsync(string key, Func<Assignment, Assignment?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var row = await ReadAsync(key, cancellationToken);
            if (row is null)
            {
                return null;
            }

            var changed = change(row.Value.Assignment);
            if (changed is null)
            {
                return row.Value.Assignment;
            }

            changed = changed with { Revision = row.Value.Assignment.Revision + 1 };
            var entity = ToEntity(changed);
            entity.ETag = row.Value.ETag;
            try
            {
                await Table.ReplaceIfUnchangedAsync(entity, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // Someone else changed it: apply the change again to the fresh copy.
                continue;
            }

            await NotifyAsync([changed], cancellationToken);
            return changed;
        }
    }

    /// <summary>Moves the status (recorded with who and why); already there is a no-op; an impossible move throws.</summary>
    public Task<Assignment?> TransitionAsync(string key, string to, string by, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(key, current =>
        {
            if (current.Status == to)
            {
                return null;
            }

            return Move(current, to, by, note, at) with
            {
                InvitedAt = to == AssignmentStatus.Invited ? current.InvitedAt ?? at : current.InvitedAt,
                OpenedAt = to == AssignmentStatus.Opened ? current.OpenedAt ?? at : current.OpenedAt,
            };
        }, cancellationToken);

    /// <summary>
    /// A reviewer accepts a submission or requests changes (<paramref name="message"/> is shown to the vendor until they
    /// resubmit). A decision on a submission nobody had started reviewing starts the review first: both moves are recorded.
    /// </summary>
    public Task<Assignment?> DecideAsync(string key, string decision, string? message, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(key, current =>
        {
            var startsReview = current.Status != AssignmentStatus.UnderReview;
            if ((startsReview && !AssignmentStatus.CanMove(current.Status, AssignmentStatus.UnderReview)) || !AssignmentStatus.CanMove(AssignmentStatus.UnderReview, decision))
            {
                // Refused as the decision it was, not as the review step staff never asked for.
                throw new InvalidTransitionException(current.Key, current.Status, decision);
            }

            var underReview = startsReview ? Move(current, AssignmentStatus.UnderReview, by, null, at) : current;
            // The message is the vendor's only for a changes request; an acceptance's note stays in the history.
            return Move(underReview, decision, by, message, at) with { ChangesRequestedMessage = decision == AssignmentStatus.ChangesRequested ? message : null };
        }, cancellationToken);

    /// <summary>
    /// Staff give a new due date (recorded in the history, with the reason). An overdue assignment given more time is
    /// waiting again: opened if the vendor had opened it, else invited. A finished (accepted, cancelled) one is refused.
    /// </summary>
    public Task<Assignment?> MoveDueDateAsync(string key, DateOnly dueOn, string? reason, string by, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateAsync(key, current =>
        {
            if (AssignmentStatus.IsFinal(current.Status))
            {
                throw new InvalidTransitionException(current.Key, current.Status, current.Status);
            }

            var note = $"Due date {current.DueOn:yyyy-MM-dd} → {dueOn:yyyy-MM-dd}" + (reason is { Length: > 0 } ? $": {reason}" : "");
            var status = current.Status == AssignmentStatus.Overdue ? (current.OpenedAt is null ? AssignmentStatus.Invited : AssignmentStatus.Opened) : current.Status;
            var moved = status == current.Status
                ? current with { History = [.. current.History, new StatusChange(current.Status, status, at, by, note)] }
                : Move(current, status, by, note, at);
            return moved with { DueOn = dueOn };
        }, cancellationToken);

    /// <summary>
    /// Notes that sealed <paramref name="version"/> exists: the assignment moves to submitted (resubmitted after a
    /// request for changes) when its status allows; a version already recorded is a no-op, except that a score
    /// the record lacks for it is added.
    /// </summary>
    public Task<Assignment?> RecordSubmissionAsync(string key, int version, string note, DateTimeOffset at, CancellationToken cancellationToken, AssignmentScore? score = null) =>
        UpdateAsync(key, current =>
        {
            if ((current.SubmittedVersion ?? 0) >= version)
            {
                // Recorded before the score was kept (a crash in between, or older data): the score still belongs on it.
                return current.SubmittedVersion == version && score is not null && current.Score is null ? current with { Score = score } : null;
            }

            // When the status cannot take the move (already submitted, cancelled meanwhile) the version is still recorded.
            var target = current.Status == AssignmentStatus.ChangesRequested ? AssignmentStatus.Resubmitted : AssignmentStatus.Submitted;
            var recorded = AssignmentStatus.CanMove(current.Status, target) ? Move(current, target, "vendor", note, at) : current;
            return recorded with { SubmittedVersion = version, Score = score ?? current.Score };
        }, cancellationToken);

    /// <summary>
    /// One vendor's assignments in these cycles: per cycle a range query over that partition's rows of this vendor
    /// (RowKey "{vendorId}~{kind}"; kinds sort below "~"), run side by side — no scan of the table.
    /// </summary>
    public async Task<IReadOnlyList<Assignment>> ListForVendorAsync(string vendorId, IEnumerable<string> cycles, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(vendorId);
        ArgumentNullException.ThrowIfNull(cycles);
        var perCycle = await Task.WhenAll(cycles.Distinct(StringComparer.Ordinal).Select(async cycle =>
        {
            var rows = new List<Assignment>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycle} and RowKey ge {vendorId + "~"} and RowKey lt {vendorId + "~~"}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows.Add(FromEntity(row));
            }

            return rows;
        }));
        return perCycle.SelectMany(rows => rows).OrderByDescending(assignment => assignment.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<Assignment>> ListAsync(AssignmentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<string>();
        if (query.Cycle is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {query.Cycle}"));
        }

        if (query.VendorId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"VendorId eq {query.VendorId}"));
        }

        if (query.Status is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {query.Status}"));
        }

        if (query.Kind is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Kind eq {query.Kind}"));
        }

        if (query.DueOnOrBefore is { } due)
        {
            filters.Add(TableClient.CreateQueryFilter($"DueOn le {Date(due)}"));
        }

        var assignments = new List<Assignment>();
        var filter = filters.Count == 0 ? null : string.Join(" and ", filters);
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            assignments.Add(FromEntity(row));
            if (query.Limit is { } limit && assignments.Count >= limit)
            {
                break;
            }
        }

        return assignments;
    }

    /// <summary>
    /// Fills in the vendor's tier, category and owner where the caller did not (the planner does): read once per call,
    /// so a summary bucket is decided when the survey is created and never moves.
    /// </summary>
    private async Task<IReadOnlyList<Assignment>> WithSegmentsAsync(IReadOnlyList<Assignment> assignments, CancellationToken cancellationToken)
    {
        if (registry is null || assignments.All(assignment => assignment.Segment is not null))
        {
            return assignments;
        }

        var vendors = (await registry.AllAsync(cancellationToken)).ToDictionary(view => view.Id, StringComparer.Ordinal);
        return assignments
            .Select(assignment => assignment.Segment is null && vendors.TryGetValue(assignment.VendorId, out var view) ? assignment with { Segment = SegmentOf(view) } : assignment)
            .ToList();
    }

    /// <summary>The bucket a vendor's new survey is counted in.</summary>
    public static AssignmentSegment SegmentOf(VendorView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new AssignmentSegment(view.Risk.EffectiveTier, view.Vendor.BusinessCategory, view.Vendor.InternalOwner.Email, view.Vendor.InternalOwner.Name);
    }

    private async Task NotifyAsync(IReadOnlyList<Assignment> stored, CancellationToken cancellationToken)
    {
        if (stored.Count == 0 || sinks is null)
        {
            return;
        }

        foreach (var sink in sinks)
        {
            await sink.ChangedAsync(stored, cancellationToken);
        }
    }

    /// <summary>Every status move, recorded in the history; an impossible one throws.</summary>
    private static Assignment Move(Assignment current, string to, string by, string? note, DateTimeOffset at) =>
        AssignmentStatus.CanMove(current.Status, to)
            ? current with { Status = to, History = [.. current.History, new StatusChange(current.Status, to, at, by, note)] }
            : throw new InvalidTransitionException(current.Key, current.Status, to);

    private async Task<(Assignment Assignment, ETag ETag)?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        if (AssignmentKey.Parse(key) is not { } parts)
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(parts.Cycle, $"{parts.VendorId}~{parts.Kind}", cancellationToken: cancellationToken);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    private static Assignment FromEntity(TableEntity row) =>
        JsonSerializer.Deserialize<Assignment>(row.GetString("Data"), Json)! with { VendorStamp = row.GetString(VendorStamps.Column) };

    private static TableEntity ToEntity(Assignment assignment) => new(assignment.Cycle, $"{assignment.VendorId}~{assignment.Kind}")
    {
        ["Data"] = JsonSerializer.Serialize(assignment, Json),
        ["Status"] = assignment.Status,
        ["VendorId"] = assignment.VendorId,
        ["Kind"] = assignment.Kind,
        ["DueOn"] = Date(assignment.DueOn),
        ["CampaignId"] = assignment.CampaignId,
        [VendorStamps.Column] = assignment.VendorStamp,
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record AssignmentQuery(string? Cycle = null, string? VendorId = null, string? Status = null, string? Kind = null, DateOnly? DueOnOrBefore = null, int? Limit = null);

public sealed class InvalidTransitionException(string key, string from, string to)
    : InvalidOperationException($"Assignment {key} cannot move from '{from}' to '{to}'.");
