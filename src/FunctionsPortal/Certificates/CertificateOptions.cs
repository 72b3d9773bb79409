using System.ComponentModel.DataAnnotations;

namespace FunctionsPortal.Certificates;

/// <summary>Section <c>Certificates</c>: when staff are warned of a certificate's expiry.</summary>
public sealed class CertificateOptions
{
    public const string SectionName = "Certificates";

    /// <summary>Days before a certificate expires that its vendor's internal owner is warned (and the state reads "expiring").</summary>
    [Range(1, 365)]
    public int WarnDaysBeforeExpiry { get; set; } = 60;
}
