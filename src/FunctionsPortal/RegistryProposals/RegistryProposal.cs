using System.Text.Json.Serialization;
using FunctionsPortal.Checklists;

namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// A change to a vendor's registry record that its scoping answers suggest (one field each): staff confirm it (the registry
/// changes, keeping its previous version) or dismiss it with a reason. <c>Current</c> is the registry's value when proposed.
/// </summary>
public sealed record RegistryProposal
{
    public required string Id { get; init; }

    public required string VendorId { get; init; }

    /// <summary>One of <see cref="ProposalFields"/>.</summary>
    public required string Field { get; init; }

    /// <summary>The survey whose sealed answers proposed it, and the sealed version.</summary>
    public required string AssignmentKey { get; init; }

    public required int SubmissionVersion { get; init; }

    public required IReadOnlyList<string> Current { get; init; }

    public required IReadOnlyList<string> Proposed { get; init; }

    /// <summary>The vendor's answer as typed (the countries or cloud services text), when there was text.</summary>
    public string? Answer { get; init; }

    /// <summary>Parts of the answer that name no country we know: staff read them and edit the registry by hand.</summary>
    public IReadOnlyList<string> Unrecognised { get; init; } = [];

    /// <summary>What staff should know before confirming (e.g. subcontractors still registered), in both languages.</summary>
    public Localized? Note { get; init; }

    public string Status { get; init; } = ProposalStatuses.Pending;

    public required DateTimeOffset ProposedAt { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Why it was dismissed; for countries confirmed, which lists the countries went to.</summary>
    public string? Reason { get; init; }

    /// <summary>Whether confirming can apply it: an answer of "abroad" that names no country we can read cannot.</summary>
    [JsonIgnore]
    public bool Applicable => Field != ProposalFields.OverseasCountries || Proposed.Count > 0 || Unrecognised.Count == 0;

    [JsonIgnore]
    public bool IsPending => Status == ProposalStatuses.Pending;
}

public static class ProposalFields
{
    /// <summary>Vendor.Subcontracts: "yes" or "no" (current may be "unknown").</summary>
    public const string Subcontracts = "subcontracts";

    /// <summary>The countries outside Japan in Vendor.Countries.Storage and .Access (ISO codes).</summary>
    public const string OverseasCountries = "overseasCountries";

    /// <summary>Vendor.CloudServices.</summary>
    public const string CloudServices = "cloudServices";

    public static Localized Label(string field) => field switch
    {
        Subcontracts => new("再委託の有無", "Subcontracting"),
        OverseasCountries => new("海外での保管・アクセス（国）", "Storage or access abroad (countries)"),
        CloudServices => new("利用するクラウドサービス", "Cloud services"),
        _ => new(field, field),
    };
}

public static class ProposalStatuses
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";

    /// <summary>A later answer agreed with the registry, or proposed something else.</summary>
    public const string Superseded = "superseded";
}

/// <summary>Where confirmed countries go: the storage list, the access list, or both (the scoping question asks about either).</summary>
public static class CountryTargets
{
    public const string Storage = "storage";
    public const string Access = "access";
    public const string Both = "both";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Storage, Access, Both], StringComparer.Ordinal);
}
