using FunctionsPortal.Responses;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.VendorPages.Review;

namespace FunctionsPortal.VendorPages.Subcontracting;

/// <summary>A subcontractor the vendor declares on its subcontractors page.</summary>
public sealed record SubcontractorForm
{
    public string? Name { get; init; }

    public string? CorporateNumber { get; init; }

    public string? Country { get; init; }

    public string? Scope { get; init; }

    /// <summary>The checkbox: sent only when ticked.</summary>
    public string? HandlesPersonalData { get; init; }

    public string? ContactName { get; init; }

    public string? ContactEmail { get; init; }

    public SubcontractorInput Input => new(Name?.Trim(), CorporateNumber?.Trim(), Country?.Trim(), Scope?.Trim(), HandlesPersonalData is not null, ContactName?.Trim(), ContactEmail?.Trim());
}

/// <summary>A subcontractor's handling-method document page: the short declaration beside the file, and the attestation.</summary>
public sealed record DocumentForm : OfficerForm
{
    public const int MaxFieldLength = 2000;

    public string? DataHandled { get; init; }

    public string? Purposes { get; init; }

    public string? StoragePlace { get; init; }

    public string? StorageCountry { get; init; }

    public string? SecurityMeasures { get; init; }

    public string? FurtherSubcontracting { get; init; }

    public string? Action { get; init; }

    public HandlingMethodDeclaration Declaration => new(
        Clean(DataHandled), Clean(Purposes), Clean(StoragePlace), Clean(StorageCountry).ToUpperInvariant(), Clean(SecurityMeasures), Clean(FurtherSubcontracting));

    private static string Clean(string? value)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length > MaxFieldLength ? trimmed[..MaxFieldLength] : trimmed;
    }
}
