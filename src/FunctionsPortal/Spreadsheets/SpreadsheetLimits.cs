using FunctionsPortal.Settings;
using Microsoft.Extensions.Options;

namespace FunctionsPortal.Spreadsheets;

/// <summary>
/// The most an imported spreadsheet may hold (section <c>Spreadsheets</c>), checked while it is read so a hostile file
/// stops at the cap instead of being parsed whole. Bytes on the wire are capped separately (RequestLimits).
/// </summary>
public sealed class SpreadsheetLimits
{
    public const string SectionName = "Spreadsheets";

    /// <summary>CSV rows, header included (10,000: the whole registry several times over).</summary>
    [SettingRange(2, 1_000_000)]
    public int CsvRows { get; set; } = 10_000;

    /// <summary>Characters in one CSV field (4,000: the longest vendor field is a free-text note).</summary>
    [SettingRange(1, 1_000_000)]
    public int CsvFieldChars { get; set; } = 4_000;

    /// <summary>Rows of one sheet (5,000; the largest checklist has about 110).</summary>
    [SettingRange(2, 1_048_576)]
    public int XlsxRows { get; set; } = 5_000;

    /// <summary>Columns of one sheet (50; the items sheet has 22).</summary>
    [SettingRange(2, 16_384)]
    public int XlsxColumns { get; set; } = 50;

    /// <summary>Characters in one cell or shared string (32,767: Excel's own limit for a cell).</summary>
    [SettingRange(1, 32_767)]
    public int XlsxCellChars { get; set; } = 32_767;

    /// <summary>Entries in the shared-string table (50,000; a re-saved checklist has a few thousand).</summary>
    [SettingRange(1, 10_000_000)]
    public int XlsxSharedStrings { get; set; } = 50_000;

    /// <summary>Files inside the workbook's zip (200; Excel writes about 10 for a two-sheet workbook).</summary>
    [SettingRange(10, 100_000)]
    public int XlsxParts { get; set; } = 200;

    /// <summary>Uncompressed bytes of one file inside the workbook (20 MiB).</summary>
    [SettingRange(1024, int.MaxValue)]
    public long XlsxPartBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How much one file inside the workbook may expand (100 times; XML usually compresses 5–20 times). Files under 1 MiB are exempt.</summary>
    [SettingRange(2, 100_000)]
    public int XlsxCompressionRatio { get; set; } = 100;
}

/// <summary>Checks <see cref="SpreadsheetLimits"/>'s rules on start with code written at build time, not by reflection (decision 025).</summary>
[OptionsValidator]
internal sealed partial class ValidateSpreadsheetLimits : IValidateOptions<SpreadsheetLimits>;
