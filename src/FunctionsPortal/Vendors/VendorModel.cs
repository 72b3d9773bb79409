namespace FunctionsPortal.Vendors;

/// <summary>
/// A vendor (委託先) or, with <see cref="ParentId"/>, a subcontractor (再委託先) at any depth. This is the registry
/// record staff edit; <see cref="VendorRecord"/> adds the server-kept parts (id, version, computed risk).
/// </summary>
/// Reference-typed members default to null! rather than being `required`: a missing field must reach
/// <see cref="VendorValidator"/>, which names every bad field, instead of failing deserialization on the first.
public sealed record Vendor
{
    public string? ParentId { get; init; }

    public LocalizedName LegalName { get; init; } = null!;

    /// <summary>法人番号: 13 digits with a valid check digit; optional for companies outside Japan.</summary>
    public string? CorporateNumber { get; init; }

    public string BusinessCategory { get; init; } = null!;

    /// <summary>受任者: the vendor's responsible officer, who attests the survey.</summary>
    public Person ResponsibleOfficer { get; init; } = null!;

    public IReadOnlyList<Person> Contacts { get; init; } = [];

    /// <summary>Our employee who owns the relationship (corrective tasks are assigned to them).</summary>
    public InternalOwner InternalOwner { get; init; } = null!;

    public IReadOnlyList<string> DataCategories { get; init; } = [];

    public long? ApproximateRecords { get; init; }

    public VendorCountries Countries { get; init; } = null!;

    public IReadOnlyList<Certification> Certifications { get; init; } = [];

    public IReadOnlyList<string> WorkLocations { get; init; } = [];

    /// <summary>Whether the vendor subcontracts our personal-data work (再委託), as it stated; null when unknown. Registered subcontractors say so regardless.</summary>
    public bool? Subcontracts { get; init; }

    /// <summary>The cloud services that store or process our data, one entry each (provider, service, region), as free text.</summary>
    public IReadOnlyList<string> CloudServices { get; init; } = [];

    public ContractPeriod? Contract { get; init; }

    public string LifecycleStatus { get; init; } = VendorVocabulary.LifecycleOnboarding;

    public string? Notes { get; init; }

    /// <summary>Subcontractors only: what part of the work they do.</summary>
    public string? Scope { get; init; }

    /// <summary>Subcontractors only: our prior written approval of the subcontracting.</summary>
    public PriorApproval? PriorApproval { get; init; }

    /// <summary>
    /// Subcontractors a vendor declared with a corporate number another vendor already holds: that vendor. Such an entry
    /// never reserves the number (the holder keeps it); once staff link it, it is only the parent's reference to the holder.
    /// </summary>
    public RegistryMatch? Match { get; init; }
}

public sealed record LocalizedName(string Ja, string? En = null);

public sealed record Person(string Name, string? Title, string Email, string? Phone = null);

public sealed record InternalOwner(string Name, string Email, string? EntraObjectId = null);

/// <summary>ISO 3166-1 alpha-2 codes: where the company is, where the data is stored, from where it is accessed.</summary>
public sealed record VendorCountries(string Company, IReadOnlyList<string> Storage, IReadOnlyList<string> Access);

public sealed record Certification(string Type, string? Name, string? Number, DateOnly? ExpiresOn);

public sealed record ContractPeriod(DateOnly? StartOn, DateOnly? EndOn);

/// <summary>The registered vendor a declared subcontractor's corporate number belongs to, and who linked the two (null until staff do).</summary>
public sealed record RegistryMatch(string VendorId, string? LinkedBy = null, DateTimeOffset? LinkedAt = null)
{
    public bool Linked => LinkedAt is not null;
}

/// <summary>Our decision on a subcontracting; <c>WithoutDocument</c> when it was approved before the handling-method document arrived (the reason says why).</summary>
public sealed record PriorApproval(string Status, string? By, DateTimeOffset? At, string? Reason, bool? WithoutDocument = null);

/// <summary>A staff override of the computed risk tier, with the recorded reason.</summary>
public sealed record RiskTierOverride(string Tier, string Reason, string By, DateTimeOffset At);

/// <summary>A vendor as stored: the record plus id, concurrency version and server-kept fields.</summary>
public sealed record VendorRecord(string Id, string ETag, Vendor Vendor, RiskTierOverride? RiskOverride, DateTimeOffset UpdatedAt, string UpdatedBy);
