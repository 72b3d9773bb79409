namespace FunctionsPortal.Checklists;

/// <summary>
/// What applicability conditions and risk rules may know about a vendor: flags and categories, nothing personal.
/// Built by the vendor registry; used by checklists (which questions apply) and scoring.
/// </summary>
public sealed record VendorProfile(
    IReadOnlySet<string> Flags,
    IReadOnlySet<string> DataCategories,
    string BusinessCategory,
    long? ApproximateRecords)
{
    public const string Overseas = "overseas";
    public const string OverseasStorage = "overseasStorage";
    public const string OverseasAccess = "overseasAccess";
    public const string Subcontracts = "subcontracts";
    public const string RemoteWork = "remoteWork";
    public const string VendorPremises = "vendorPremises";
    public const string OurPremises = "ourPremises";
    public const string Certified = "certified";

    public static readonly IReadOnlySet<string> KnownFlags = new HashSet<string>(StringComparer.Ordinal)
    {
        Overseas, OverseasStorage, OverseasAccess, Subcontracts, RemoteWork, VendorPremises, OurPremises, Certified,
    };

    public bool Has(string flag) => Flags.Contains(flag);
}
