using System.Globalization;
using FunctionsPortal.Hosting;
using FunctionsPortal.Responses;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.VendorPages.Review;

/// <summary>
/// The attestation block of a form (<see cref="OfficerFields"/>) plus the draft revision the page showed. Strings
/// only, so binding never fails: what is missing or wrong is said by <see cref="Problems"/>, in the vendor's language.
/// </summary>
public sealed record OfficerForm
{
    [FromForm]
    public string? OfficerName { get; init; }

    [FromForm]
    public string? OfficerTitle { get; init; }

    [FromForm]
    public string? OfficerEmail { get; init; }

    /// <summary>The ticked statement: a checkbox sends its value only when ticked.</summary>
    [FromForm]
    public string? Attest { get; init; }

    [FromForm]
    public string? Revision { get; init; }

    public Officer Officer => new((OfficerName ?? "").Trim(), (OfficerTitle ?? "").Trim(), (OfficerEmail ?? "").Trim());

    /// <summary>The revision the vendor reviewed; 0 (never a saved revision) when the field was missing or garbled.</summary>
    public int ReviewedRevision => int.TryParse(Revision, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    public IReadOnlyList<Notice> Problems => ReadinessCheck.OfficerProblems(OfficerName, OfficerTitle, OfficerEmail, attested: Attest is not null);
}
