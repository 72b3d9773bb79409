using FunctionsPortal.Surveys;

namespace FunctionsPortal.Dashboards;

/// <summary>The tier × business category × internal owner a survey is counted under (fixed when it is created).</summary>
public sealed record SummaryBucket(string Tier, string Category, string OwnerEmail, string OwnerName)
{
    /// <summary>Surveys created before buckets were recorded.</summary>
    public static SummaryBucket Unknown { get; } = new("-", "-", "-", "-");

    public static SummaryBucket Of(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return assignment.Segment is { } segment ? new(segment.Tier, segment.Category, segment.OwnerEmail, segment.OwnerName) : Unknown;
    }

    /// <summary>Row key: the three parts escaped (Table keys refuse / \ # ?), owner lower-cased so one person is one bucket.</summary>
    public string RowKey => "b~" + Id;

    /// <summary>The row holding the bucket's per-assignment entries (written in one transaction with the figures row).</summary>
    public string EntriesRowKey => "e~" + Id;

    private string Id => string.Join('~', new[] { Tier, Category, OwnerEmail.ToLowerInvariant() }.Select(Escape));

    private static string Escape(string part) => Uri.EscapeDataString(part).Replace("~", "%7E", StringComparison.Ordinal).Replace("%", "!", StringComparison.Ordinal);
}
