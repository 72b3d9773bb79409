using System.Globalization;
using Azure.Data.Tables;
using FunctionsPortal.Storage;

namespace FunctionsPortal.Reviews;

/// <summary>
/// Table "reviews": what reviewers add to a submission without changing it. PartitionKey = assignment key, so the
/// review page reads all of it in one query: internal notes (the vendor never sees them; nothing on the vendor's side
/// reads this table), reassessments of single items with their reasons, and first approvals awaiting a second reviewer.
/// </summary>
public sealed class ReviewRecords(PortalStorage storage)
{
    public const string TableName = "reviews";

    private const string NotePrefix = "note~";
    private const string ReassessmentPrefix = "reassess~";
    private const string ApprovalPrefix = "approval~";

    private TableClient Table => storage.GetTable(TableName);

    /// <summary>Everything reviewers recorded on this assignment: one partition query.</summary>
    public async Task<ReviewState> ReadAsync(string assignmentKey, CancellationToken cancellationToken)
    {
        var notes = new List<ReviewNote>();
        var reassessments = new List<Reassessment>();
        var approvals = new List<FirstApproval>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {assignmentKey}"), cancellationToken: cancellationToken))
        {
            var by = row.GetString("By");
            var at = row.GetDateTimeOffset("At")!.Value;
            if (row.RowKey.StartsWith(NotePrefix, StringComparison.Ordinal))
            {
                notes.Add(new ReviewNote(row.GetString("Text"), by, at));
            }
            else if (row.RowKey.StartsWith(ReassessmentPrefix, StringComparison.Ordinal))
            {
                reassessments.Add(new Reassessment(row.GetInt32("Version")!.Value, row.GetString("ItemId"), decimal.Parse(row.GetString("Points"), CultureInfo.InvariantCulture),
                    row.GetString("Reason"), by, at));
            }
            else if (row.RowKey.StartsWith(ApprovalPrefix, StringComparison.Ordinal))
            {
                approvals.Add(new FirstApproval(row.GetInt32("Version")!.Value, row.GetString("Reason"), by, at));
            }
        }

        // Row keys of notes count down from the end of time: the query returns the newest first.
        return new ReviewState(notes, reassessments, approvals);
    }

    public Task AddNoteAsync(string assignmentKey, ReviewNote note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var newestFirst = (DateTimeOffset.MaxValue.UtcTicks - note.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        return Table.AddEntityAsync(new TableEntity(assignmentKey, $"{NotePrefix}{newestFirst}~{Guid.NewGuid():N}")
        {
            ["Text"] = note.Text,
            ["By"] = note.By,
            ["At"] = note.At,
        }, cancellationToken);
    }

    /// <summary>The item's reassessment in this version, replacing an earlier one (the audit trail keeps every change).</summary>
    public Task SetReassessmentAsync(string assignmentKey, Reassessment reassessment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reassessment);
        return Table.UpsertEntityAsync(new TableEntity(assignmentKey, ReassessmentRow(reassessment.Version, reassessment.ItemId))
        {
            ["Version"] = reassessment.Version,
            ["ItemId"] = reassessment.ItemId,
            ["Points"] = reassessment.Points.ToString(CultureInfo.InvariantCulture),
            ["Reason"] = reassessment.Reason,
            ["By"] = reassessment.By,
            ["At"] = reassessment.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public Task ClearReassessmentAsync(string assignmentKey, int version, string itemId, CancellationToken cancellationToken) =>
        Table.DeleteEntityAsync(assignmentKey, ReassessmentRow(version, itemId), cancellationToken: cancellationToken);

    /// <summary>Records the first approval of this version; false when one is recorded already (the first one stands).</summary>
    public Task<bool> TryAddFirstApprovalAsync(string assignmentKey, FirstApproval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return Table.TryAddAsync(new TableEntity(assignmentKey, $"{ApprovalPrefix}{Version(approval.Version)}")
        {
            ["Version"] = approval.Version,
            ["Reason"] = approval.Reason,
            ["By"] = approval.By,
            ["At"] = approval.At,
        }, cancellationToken);
    }

    private static string ReassessmentRow(int version, string itemId) => $"{ReassessmentPrefix}{Version(version)}~{itemId}";

    private static string Version(int version) => $"v{version.ToString("D4", CultureInfo.InvariantCulture)}";
}

/// <summary>A reviewer's note on an assignment, for staff only.</summary>
public sealed record ReviewNote(string Text, string By, DateTimeOffset At);

/// <summary>A reviewer's assessment of one item of one sealed version (points 0, ½ or 1) and why; the sealed answer stays as it is.</summary>
public sealed record Reassessment(int Version, string ItemId, decimal Points, string Reason, string By, DateTimeOffset At);

/// <summary>The first of two reviewers accepted this version (a failed critical item, with the second-reviewer rule on).</summary>
public sealed record FirstApproval(int Version, string Reason, string By, DateTimeOffset At);

public sealed record ReviewState(IReadOnlyList<ReviewNote> Notes, IReadOnlyList<Reassessment> Reassessments, IReadOnlyList<FirstApproval> Approvals)
{
    public IReadOnlyDictionary<string, Reassessment> ReassessmentsOf(int version) =>
        Reassessments.Where(reassessment => reassessment.Version == version).ToDictionary(reassessment => reassessment.ItemId, StringComparer.Ordinal);

    public FirstApproval? ApprovalOf(int version) => Approvals.FirstOrDefault(approval => approval.Version == version);
}
