using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Evidence;

/// <summary>How much evidence a vendor may upload (section <c>Evidence</c>): bounded so one survey cannot fill the account.</summary>
public sealed class EvidenceOptions : IValidatableObject
{
    public const string SectionName = "Evidence";

    /// <summary>200 MiB: ten times the default file limit, far beyond what a real Office document unpacks to.</summary>
    public const long DefaultMaxUnpackedBytes = 200L * 1024 * 1024;

    /// <summary>The largest single file, in bytes (20 MiB: a scanned certificate or a long policy PDF fits).</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>The most all files of one assignment may take together, in bytes.</summary>
    public long MaxAssignmentBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>The most an Office ZIP (.docx/.xlsx/.pptx) may unpack to while it is checked, in bytes: beyond it, a suspected ZIP bomb.</summary>
    public long MaxUnpackedBytes { get; set; } = DefaultMaxUnpackedBytes;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFileBytes <= 0)
        {
            yield return new ValidationResult("Evidence:MaxFileBytes must be greater than 0.", [nameof(MaxFileBytes)]);
        }

        if (MaxAssignmentBytes <= 0)
        {
            yield return new ValidationResult("Evidence:MaxAssignmentBytes must be greater than 0.", [nameof(MaxAssignmentBytes)]);
        }

        if (MaxUnpackedBytes <= 0)
        {
            yield return new ValidationResult("Evidence:MaxUnpackedBytes must be greater than 0.", [nameof(MaxUnpackedBytes)]);
        }

        if (MaxFileBytes > MaxAssignmentBytes)
        {
            yield return new ValidationResult("Evidence:MaxFileBytes cannot be larger than Evidence:MaxAssignmentBytes.", [nameof(MaxFileBytes), nameof(MaxAssignmentBytes)]);
        }
    }
}

/// <summary>Checks <see cref="EvidenceOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateEvidenceOptions : IValidateOptions<EvidenceOptions>;
