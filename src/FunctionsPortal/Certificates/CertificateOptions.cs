using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Certificates;

/// <summary>Section <c>Certificates</c>: when staff are warned of a certificate's expiry.</summary>
public sealed class CertificateOptions
{
    public const string SectionName = "Certificates";

    /// <summary>Days before a certificate expires that its vendor's internal owner is warned (and the state reads "expiring").</summary>
    [SettingRange(1, 365)]
    public int WarnDaysBeforeExpiry { get; set; } = 60;
}

/// <summary>Checks <see cref="CertificateOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateCertificateOptions : IValidateOptions<CertificateOptions>;
