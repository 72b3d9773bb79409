using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Subcontractors;

/// <summary>How many subcontractors one vendor link may declare (section <c>Subcontractors</c>): a link is no registry probe.</summary>
public sealed class SubcontractorOptions
{
    public const string SectionName = "Subcontractors";

    /// <summary>Declarations one vendor may make through one survey (its link, however often reissued) in all.</summary>
    [SettingRange(1, 1000)]
    public int MaxDeclarationsPerLink { get; set; } = 20;

    /// <summary>Declarations one vendor may make in one day (Japan time), across its surveys.</summary>
    [SettingRange(1, 1000)]
    public int MaxDeclarationsPerDay { get; set; } = 10;
}

/// <summary>Checks <see cref="SubcontractorOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateSubcontractorOptions : IValidateOptions<SubcontractorOptions>;
