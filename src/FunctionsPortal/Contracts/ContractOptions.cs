namespace FunctionsPortal.Contracts;

/// <summary>Section <c>Contracts</c>: what a vendor needs before staff may make it active.</summary>
public sealed class ContractOptions
{
    public const string SectionName = "Contracts";

    /// <summary>An accepted due-diligence survey is required before the lifecycle moves to active.</summary>
    public bool ActivationRequiresDueDiligence { get; set; } = true;

    /// <summary>A recorded 覚書 (data-handling memorandum) is required before the lifecycle moves to active.</summary>
    public bool ActivationRequiresMemorandum { get; set; } = true;
}
