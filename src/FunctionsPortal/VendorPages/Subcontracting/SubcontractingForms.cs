using FunctionsPortal.Responses;
using FunctionsPortal.Subcontractors;
using FunctionsPortal.VendorPages.Review;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.VendorPages.Subcontracting;

/// <summary>A subcontractor the vendor declares on its subcontractors page.</summary>
public sealed record SubcontractorForm
{
    [FromForm]
    public string? Name { get; init; }

    [FromForm]
    public string? CorporateNumber { get; init; }

    [FromForm]
    public string? Country { get; init; }

    [FromForm]
    public string? Scope { get; init; }

    /// <summary>The checkbox: sent only when ticked.</summary>
    [FromForm]
    public string? HandlesPersonalData { get; init; }

    [FromForm]
    public string? ContactName { get; init; }

    [FromForm]
    public string? ContactEmail { get; init; }

    public SubcontractorInput Input => new(Name?.Trim(), CorporateNumber?.Trim(), Country?.Trim(), Scope?.Trim(), HandlesPersonalData is not null, ContactName?.Trim(), ContactEmail?.Trim());
}

/// <summary>
/// A subcontractor's handling-method document page: the short declaration beside the file, and the attestation. The
/// attestation fields are repeated here, not inherited: the request delegate generator binds only a type's own properties.
/// </summary>
public sealed record DocumentForm
{
    public const int MaxFieldLength = 2000;

    [FromForm]
    public string? OfficerName { get; init; }

    [FromForm]
    public string? OfficerTitle { get; init; }

    [FromForm]
    public string? OfficerEmail { get; init; }

    [FromForm]
    public string? Attest { get; init; }

    [FromForm]
    public string? Revision { get; init; }

    [FromForm]
    public string? DataHandled { get; init; }

    [FromForm]
    public string? Purposes { get; init; }

    [FromForm]
    public string? StoragePlace { get; init; }

    [FromForm]
    public string? StorageCountry { get; init; }

    [FromForm]
    public string? SecurityMeasures { get; init; }

    [FromForm]
    public string? FurtherSubcontracting { get; init; }

    [FromForm]
    public string? Action { get; init; }

    public OfficerForm Attestation => new() { OfficerName = OfficerName, OfficerTitle = OfficerTitle, OfficerEmail = OfficerEmail, Attest = Attest, Revision = Revision };

    public HandlingMethodDeclaration Declaration => new(
        Clean(DataHandled), Clean(Purposes), Clean(StoragePlace), Clean(StorageCountry).ToUpperInvariant(), Clean(SecurityMeasures), Clean(FurtherSubcontracting));

    private static string Clean(string? value)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length > MaxFieldLength ? trimmed[..MaxFieldLength] : trimmed;
    }
}
