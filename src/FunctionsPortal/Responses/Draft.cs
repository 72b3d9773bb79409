using FunctionsPortal.Checklists;
using FunctionsPortal.Evidence;

namespace FunctionsPortal.Responses;

/// <summary>
/// The answers a vendor is working on, saved on the server so they can resume from any device with the same link.
/// <see cref="Revision"/> counts saves: a sealed submission records the revision it was made from, which is how two
/// tabs submitting the same draft are recognised as one submission.
/// </summary>
public sealed record Draft
{
    public required string AssignmentKey { get; init; }

    public IReadOnlyDictionary<string, ItemAnswer> Answers { get; init; } = new Dictionary<string, ItemAnswer>(StringComparer.Ordinal);

    /// <summary>Items whose answer was taken over from the last cycle ("still true").</summary>
    public IReadOnlyList<string> CarriedForward { get; init; } = [];

    public IReadOnlyList<EvidenceFile> Evidence { get; init; } = [];

    public Officer? Officer { get; init; }

    /// <summary>A subcontractor's structured handling-method declaration (handling-method assignments only).</summary>
    public HandlingMethodDeclaration? Declaration { get; init; }

    public int Revision { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public long EvidenceBytes => Evidence.Sum(file => file.Size);

    public IEnumerable<EvidenceFile> EvidenceFor(string itemId) => Evidence.Where(file => file.ItemId == itemId);
}

/// <summary>The vendor's responsible officer who attests the answers.</summary>
public sealed record Officer(string Name, string Title, string Email);

/// <summary>A subcontractor's handling method (取扱方法の書面) in short structured form, as typed beside its document.</summary>
public sealed record HandlingMethodDeclaration(
    string DataHandled, string Purposes, string StoragePlace, string StorageCountry, string SecurityMeasures, string FurtherSubcontracting);
