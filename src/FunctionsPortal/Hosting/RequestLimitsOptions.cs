using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Hosting;

/// <summary>
/// How many bytes a request body may carry (section <c>RequestLimits</c>), counted as they arrive, whatever
/// Content-Length says or whether the body is chunked. An endpoint without a limit of its own gets <see cref="BodyBytes"/>.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "RequestLimits";

    private const long MiB = 1024 * 1024;

    /// <summary>Any body an endpoint does not size itself: JSON for the API, staff and vendor forms without files (1 MiB).</summary>
    [SettingRange(1024, long.MaxValue)]
    public long BodyBytes { get; set; } = 1 * MiB;

    /// <summary>A vendor registry CSV (10 MiB: some 10,000 vendors in Shift_JIS).</summary>
    [SettingRange(1024, long.MaxValue)]
    public long VendorCsvBytes { get; set; } = 10 * MiB;

    /// <summary>A checklist workbook (10 MiB; an exported checklist of about 110 items is far smaller).</summary>
    [SettingRange(1024, long.MaxValue)]
    public long ChecklistXlsxBytes { get; set; } = 10 * MiB;

    /// <summary>
    /// A receipt to verify (8 MiB). Most receipts are tens of KiB, but the answer form allows five 4,000-character
    /// texts per item, so a full checklist answered at length seals to several MiB and must still verify.
    /// </summary>
    [SettingRange(1024, long.MaxValue)]
    public long ReceiptBytes { get; set; } = 8 * MiB;
}

/// <summary>Checks <see cref="RequestLimitsOptions"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateRequestLimitsOptions : IValidateOptions<RequestLimitsOptions>;
