using System.Text.Json.Serialization;

namespace FunctionsPortal.Surveys;

/// <summary>
/// The vendor's tier, business category and internal owner as they were when the survey was created; Shard: which part
/// of a very large summary bucket it is counted in (0 for all but segments of more than a thousand surveys).
/// </summary>
public sealed record AssignmentSegment(string Tier, string Category, string OwnerEmail, string OwnerName)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Shard { get; init; }
}
