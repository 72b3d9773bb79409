using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Incidents;

/// <summary>Section <c>Incidents</c>: who on staff hears of an incident at once (besides the vendor's internal owner).</summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string SectionName = "Incidents";

    /// <summary>The privacy office's addresses, mailed at once about every incident and its deadlines.</summary>
    public List<string> NotifyAddresses { get; set; } = [];

    /// <summary>Our company as the PPC's report form names the reporter (the report draft's header).</summary>
    [ValidateObjectMembers]
    public PpcReportDraft.ReporterDetails Reporter { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        return NotifyAddresses.Where(address => !VendorValidator.IsEmail(address))
            .Select(address => new ValidationResult($"Incidents:NotifyAddresses: '{address}' is not an e-mail address.", [nameof(NotifyAddresses)]));
    }
}

/// <summary>Checks <see cref="IncidentOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateIncidentOptions : IValidateOptions<IncidentOptions>;
