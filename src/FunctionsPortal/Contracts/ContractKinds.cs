using System.Text.Json.Serialization;

namespace FunctionsPortal.Contracts;

/// <summary>The two contract documents recorded per vendor: the outsourcing contract and the data-handling memorandum.</summary>
public static class ContractKinds
{
    /// <summary>業務委託契約: its period is the registry's contract period.</summary>
    public const string Contract = "contract";

    /// <summary>覚書: the memorandum on handling our (personal) data; activation waits for it.</summary>
    public const string Memorandum = "memorandum";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Contract, Memorandum], StringComparer.Ordinal);

    public static (string Ja, string En) Label(string kind) => kind switch
    {
        Contract => ("業務委託契約", "Outsourcing contract"),
        Memorandum => ("覚書（個人データの取扱い）", "Data-handling memorandum"),
        _ => (kind, kind),
    };
}

/// <summary>The clauses staff check in a signed document (the 委託先の監督 points of the source documents).</summary>
public sealed record ContractClauses(bool SecurityMeasures, bool Confidentiality, bool Subcontracting, bool Reporting, bool Audit, bool ReturnAndDeletion)
{
    /// <summary>Each clause with its labels and whether this document has it, in the order staff read them.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Name, string Ja, string En, bool Present)> Items =>
    [
        ("securityMeasures", "安全管理措置", "Security measures", SecurityMeasures),
        ("confidentiality", "秘密保持", "Confidentiality", Confidentiality),
        ("subcontracting", "再委託の条件", "Conditions for subcontracting", Subcontracting),
        ("reporting", "報告義務", "Duty to report", Reporting),
        ("audit", "監査", "Audit", Audit),
        ("returnAndDeletion", "返却・消去", "Return and deletion", ReturnAndDeletion),
    ];

    [JsonIgnore]
    public IReadOnlyList<(string Name, string Ja, string En, bool Present)> Missing => Items.Where(item => !item.Present).ToList();
}
