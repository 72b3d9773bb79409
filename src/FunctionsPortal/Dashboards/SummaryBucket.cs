using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>
/// The tier × business category × internal owner a survey is counted under (fixed when it is created), and which shard
/// of it (0 unless the segment had more than <see cref="AssignmentStore.SummaryShardSize"/> surveys created at once:
/// each shard is a bucket row of its own, and the dashboard adds them up like any other buckets).
/// </summary>
public sealed record SummaryBucket(string Tier, string Category, string OwnerEmail, string OwnerName)
{
    public int Shard { get; init; }

    /// <summary>Surveys created before buckets were recorded.</summary>
    public static SummaryBucket Unknown { get; } = new("-", "-", "-", "-");

    public static SummaryBucket Of(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.Segment is { } segment ? new(segment.Tier, segment.Category, segment.OwnerEmail, segment.OwnerName) { Shard = segment.Shard } : Unknown;
    }

    /// <summary>Row key: the three parts escaped (Table keys refuse / \ # ?), owner lower-cased so one person is one bucket.</summary>
    public string RowKey => "b~" + Id;

    /// <summary>The row holding the bucket's per-assignment entries (written in one transaction with the figures row).</summary>
    public string EntriesRowKey => "e~" + Id;

    /// <summary>Rows of changes not yet folded into the bucket ("{entries row}~d~{stamp}"): they sort right after its entries row.</summary>
    public string DeltaPrefix => EntriesRowKey + "~d~";

    private string Id => string.Join('~', new[] { Tier, Category, OwnerEmail.ToLowerInvariant() }.Select(Escape)) + (Shard > 0 ? $"~s{Shard}" : "");

    private static string Escape(string part) => Uri.EscapeDataString(part).Replace("~", "%7E", StringComparison.Ordinal).Replace("%", "!", StringComparison.Ordinal);
}
