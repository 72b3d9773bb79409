using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.ManagementLevels;

/// <summary>The managed periods' checks (section <c>ManagementLevels</c>).</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "ManagementLevels";

    public static readonly IReadOnlyList<string> DefaultThemes = ["interim-technical", "interim-physical"];

    /// <summary>
    /// The interim checklists the monthly themed self-inspections take turns with (version 1 of each); empty means
    /// <see cref="DefaultThemes"/> (no default in the list itself: the binder would add configured ones to it).
    /// </summary>
    public List<string> ThemedChecklists { get; set; } = [];

    public IReadOnlyList<string> Themes => ThemedChecklists.Count > 0 ? ThemedChecklists : DefaultThemes;

    /// <summary>How many days before a check's due date its survey is sent.</summary>
    [SettingRange(1, 60, ErrorMessage = "ManagementLevels:SendDaysBefore must be 1-60.")]
    public int SendDaysBefore { get; set; } = 14;
}

/// <summary>Checks <see cref="ManagementOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateManagementOptions : IValidateOptions<ManagementOptions>;
