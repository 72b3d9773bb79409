using System.ComponentModel.DataAnnotations;
using FunctionsPortal.Vendors;

namespace FunctionsPortal.Incidents;

/// <summary>Section <c>Incidents</c>: who on staff hears of an incident at once (besides the vendor's internal owner).</summary>
public sealed class IncidentOptions : IValidatableObject
{
    public const string SectionName = "Incidents";

    /// <summary>The privacy office's addresses, mailed at once about every incident and its deadlines.</summary>
    public List<string> NotifyAddresses { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        NotifyAddresses.Where(address => !VendorValidator.IsEmail(address))
            .Select(address => new ValidationResult($"Incidents:NotifyAddresses: '{address}' is not an e-mail address.", [nameof(NotifyAddresses)]));
}
