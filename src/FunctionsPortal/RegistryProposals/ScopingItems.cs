namespace FunctionsPortal.RegistryProposals;

/// <summary>
/// The scoping items every cycle asks (section <c>scoping</c> of the default checklists from version 2): their answers are
/// compared with the registry, never scored. The ids and choice ids are shared with the checklist files.
/// </summary>
public static class ScopingItems
{
    /// <summary>single-choice yes/no: does the vendor subcontract any of our personal-data work (再委託)?</summary>
    public const string Subcontracts = "SCP-01";

    /// <summary>single-choice yes/no: is our data stored abroad, or accessed or operated from abroad?</summary>
    public const string Overseas = "SCP-02";

    /// <summary>text (when SCP-02 is yes): the countries, as ISO codes or names, comma-separated.</summary>
    public const string Countries = "SCP-03";

    /// <summary>single-choice yes/no: are cloud services used to store or process our data?</summary>
    public const string Cloud = "SCP-04";

    /// <summary>text (when SCP-04 is yes): which cloud services (provider, service, region).</summary>
    public const string CloudServices = "SCP-05";

    public const string Yes = "yes";
    public const string No = "no";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Subcontracts, Overseas, Countries, Cloud, CloudServices], StringComparer.Ordinal);
}
