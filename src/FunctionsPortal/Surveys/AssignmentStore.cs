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

    private readonly VendorCycleIndex _vendorCycles = new(storage);

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Creates the assignments that do not exist yet; returns those this call created.</summary>
    public async Task<IReadOnlyList<Assignment>> CreateManyAsync(IReadOnlyList<Assignment> assignments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        assignments = Sharded(await WithSegmentsAsync(assignments, cancellationToken));
        await _vendorCycles.RecordAsync(assignments, cancellationToken);
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

    /// <summary>Those of the assignments with these keys that exist, by key: per cycle, point reads for a few, one bounded range query for many.</summary>
    public async Task<IReadOnlyDictionary<string, Assignment>> FindManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken) =>
        (await ReadManyAsync(keys, cancellationToken)).ToDictionary(pair => pair.Key, pair => pair.Value.Assignment, StringComparer.Ordinal);

    /// <summary>
    /// As <see cref="FindManyAsync"/>, with each row's ETag. Many keys of one cycle are read with one query over the RowKey
    /// range from the first to the last of them (a campaign's invitations are queued in key order, so the range holds
    /// little else) — never the whole partition.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, (Assignment Assignment, ETag ETag)>> ReadManyAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, (Assignment, ETag)>(StringComparer.Ordinal);
        foreach (var cycle in keys.Select(AssignmentKey.Parse).OfType<(string Cycle, string VendorId, string Kind)>().GroupBy(parts => parts.Cycle, StringComparer.Ordinal))
        {
            var rowKeys = cycle.Select(parts => $"{parts.VendorId}~{parts.Kind}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (rowKeys.Count <= TableReads.PointReadLimit)
            {
                foreach (var rowKey in rowKeys)
                {
                    var row = await Table.GetEntityIfExistsAsync<TableEntity>(cycle.Key, rowKey, cancellationToken: cancellationToken);
                    if (row.HasValue)
                    {
                        found[AssignmentKey.For(cycle.Key, rowKey)] = (FromEntity(row.Value!), row.Value!.ETag);
                    }
                }

                continue;
            }

            var wanted = rowKeys.ToHashSet(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {cycle.Key} and RowKey ge {rowKeys[0]} and RowKey le {rowKeys[^1]}");
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                if (wanted.Contains(row.RowKey))
                {
                    found[AssignmentKey.For(cycle.Key, row.RowKey)] = (FromEntity(row), row.ETag);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Records that the invitation went out: scheduled → invited (with who and when), and the link it carried as the
    /// current one unless a newer link was recorded meanwhile. Returns the stored record and whether
    /// <paramref name="linkHash"/> must be superseded (a staff resend's link is current instead).
    /// </summary>
    public async Task<(Assignment? Stored, bool SupersedeLink)> RecordInvitedAsync(string key, string? linkHash, string toAddress, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var supersede = false;
        var stored = await UpdateAsync(key, current =>
        {
            var (changed, stale) = Invited(current, linkHash, toAddress, at);
            supersede = stale;
            return changed;
        }, cancellationToken);
        return (stored, supersede);
    }

    /// <summary>
    /// <see cref="RecordInvitedAsync"/> for a batch of assignments read with their ETags: one transaction per cycle (up
    /// to 100), each row replaced only if unchanged; a batch that meets a change falls back to one read-modify-write per
    /// assignment. Returns the link hashes to supersede.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordInvitedManyAsync(IReadOnlyList<InvitationSent> sent, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var supersede = new List<string>();
        var stored = new List<Assignment>();
        var changes = sent
            .Select(invitation => (invitation, Change: Invited(invitation.Assignment, invitation.LinkHash, invitation.ToAddress, at)))
            .Where(pair => pair.Change.Changed is not null || pair.Change.SupersedeLink)
            .ToList();
        supersede.AddRange(changes.Where(pair => pair.Change.Changed is null && pair.Change.SupersedeLink).Select(pair => pair.invitation.LinkHash!));
        foreach (var chunk in changes.Where(pair => pair.Change.Changed is not null).GroupBy(pair => pair.invitation.Assignment.Cycle, StringComparer.Ordinal).SelectMany(cycle => cycle.Chunk(TableBatch.MaxOperations)))
        {
            var records = chunk.Select(pair => pair.Change.Changed! with { Revision = pair.invitation.Assignment.Revision + 1 }).ToList();
            try
            {
                await Table.SubmitCheckedTransactionAsync(
                    chunk.Zip(records, (pair, record) => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(record), pair.invitation.ETag)).ToList(),
                    cancellationToken);
                stored.AddRange(records);
                supersede.AddRange(chunk.Where(pair => pair.Change.SupersedeLink).Select(pair => pair.invitation.LinkHash!));
            }
            catch (TableTransactionFailedException exception) when (exception.Status is 412 or 404)
            {
                // One of them changed since the batch read it (a vendor opened it, staff acted): one by one, on fresh copies.
                foreach (var (invitation, _) in chunk)
                {
                    var (_, stale) = await RecordInvitedAsync(invitation.Assignment.Key, invitation.LinkHash, invitation.ToAddress, at, cancellationToken);
                    if (stale)
                    {
                        supersede.Add(invitation.LinkHash!);
                    }
                }
            }
        }

        await NotifyAsync(stored, cancellationToken);
        return supersede;
    }

    /// <summary>The record once the invitation is known sent (null: no change), and whether its link lost to a newer one.</summary>
    private static (Assignment? Changed, bool SupersedeLink) Invited(Assignment current, string? linkHash, string toAddress, DateTimeOffset at)
    {
        var record = current;
        if (current.Status == AssignmentStatus.Scheduled)
        {
            record = Move(current, AssignmentStatus.Invited, "mail", $"Invitation sent to {toAddress}", at) with { InvitedAt = current.InvitedAt ?? at };
        }

        var supersede = false;
        if (linkHash is not null && current.CurrentLinkHash != linkHash)
        {
            if (current.CurrentLinkHash is null)
            {
                record = record with { CurrentLinkHash = linkHash };
            }
            else
            {
                // A link issued after this invitation was written (a resend) is already current: the newest link wins.
                supersede = true;
            }
        }

        return (ReferenceEquals(record, current) ? null : record, supersede);
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

    /// <summary>A vendor's surveys in one cycle: their row keys are "{vendorId}~{kind}" and kinds sort below "~".</summary>
    internal static string VendorRangeFilter(string cycle, string vendorId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {cycle} and RowKey ge {vendorId + "~"} and RowKey lt {vendorId + "~~"}");

    /// <summary>The cycles the vendor has had surveys created in since <paramref name="since"/> (one range query).</summary>
    public Task<IReadOnlyList<string>> CyclesOfVendorAsync(string vendorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        _vendorCycles.CyclesAsync(vendorId, since, cancellationToken);

    /// <summary>
    /// The vendor's surveys created since <paramref name="since"/>, newest first: one range query on the vendor's cycles,
    /// then one range query per cycle (never a query across cycles).
    /// </summary>
    public async Task<IReadOnlyList<Assignment>> ListForVendorAsync(string vendorId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(vendorId);
        var cycles = await CyclesOfVendorAsync(vendorId, since, cancellationToken);
        var perCycle = await Task.WhenAll(cycles.Select(async cycle =>
        {
            var rows = new List<Assignment>();
            await foreach (var row in Table.QueryAsync<TableEntity>(VendorRangeFilter(cycle, vendorId), cancellationToken: cancellationToken))
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

    /// <summary>Surveys of one cycle and one segment beyond this many are spread over shards of the summary bucket.</summary>
    public const int SummaryShardSize = 1000;

    /// <summary>
    /// A segment with more new surveys than <see cref="SummaryShardSize"/> in one call is split into shards of
    /// consecutive keys (its dashboard summary row could not hold them all, and neighbours queued together touch one
    /// shard); the shard is stored with the survey, so it never moves.
    /// </summary>
    private static IReadOnlyList<Assignment> Sharded(IReadOnlyList<Assignment> assignments)
    {
        var groups = assignments.Where(assignment => assignment.Segment is not null)
            .GroupBy(assignment => (assignment.Cycle, assignment.Segment!))
            .Where(group => group.Count() > SummaryShardSize)
            .ToList();
        if (groups.Count == 0)
        {
            return assignments;
        }

        var shards = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(assignment => assignment.Key, StringComparer.Ordinal).ToList();
            var count = (ordered.Count + SummaryShardSize - 1) / SummaryShardSize;
            for (var index = 0; index < ordered.Count; index++)
            {
                shards[ordered[index].Key] = index * count / ordered.Count;
            }
        }

        return assignments.Select(assignment => shards.TryGetValue(assignment.Key, out var shard) ? assignment with { Segment = assignment.Segment! with { Shard = shard } } : assignment).ToList();
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

/// <summary>An invitation known sent, with the assignment as read (and its ETag) and the hash of the link it carried.</summary>
public sealed record InvitationSent(Assignment Assignment, ETag ETag, string? LinkHash, string ToAddress);

public sealed record AssignmentQuery(string? Cycle = null, string? VendorId = null, string? Status = null, string? Kind = null, DateOnly? DueOnOrBefore = null, int? Limit = null);

public sealed class InvalidTransitionException(string key, string from, string to)
    : InvalidOperationException($"Assignment {key} cannot move from '{from}' to '{to}'.");
