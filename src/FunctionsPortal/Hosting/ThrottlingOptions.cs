using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// How many requests a minute each kind of caller gets (section <c>Throttling</c>). Counted per app instance: with
/// several instances an address gets this many on each, which still turns a flood into a trickle.
/// </summary>
public sealed class ThrottlingOptions
{
    public const string SectionName = "Throttling";

    /// <summary>Vendor pages from one client address, all links together (a company's office shares one address).</summary>
    [SettingRange(1, 100_000)]
    public int VendorRequestsPerAddress { get; set; } = 300;

    /// <summary>Vendor pages through one link: far more than a person filling in a survey makes.</summary>
    [SettingRange(1, 100_000)]
    public int VendorRequestsPerLink { get; set; } = 120;

    /// <summary>Links that do not open (unknown, expired, withdrawn) from one address before it is refused outright and a warning is logged.</summary>
    [SettingRange(1, 100_000)]
    public int WrongTokensPerAddress { get; set; } = 20;

    /// <summary>Changes (anything but GET/HEAD) by one signed-in staff member, pages and API alike.</summary>
    [SettingRange(1, 100_000)]
    public int StaffWritesPerPerson { get; set; } = 120;

    /// <summary>Development sign-ins from one address.</summary>
    [SettingRange(1, 100_000)]
    public int SignInsPerAddress { get; set; } = 10;

    /// <summary>The window every limit above counts in.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Checks <see cref="ThrottlingOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateThrottlingOptions : IValidateOptions<ThrottlingOptions>;
