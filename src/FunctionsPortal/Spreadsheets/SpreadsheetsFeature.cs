using FunctionsPortal.Settings;

namespace FunctionsPortal.Spreadsheets;

public static class SpreadsheetsFeature
{
    /// <summary>CSV and Excel reading for imports, within <see cref="SpreadsheetLimits"/>.</summary>
    public static IHostApplicationBuilder AddSpreadsheets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SpreadsheetLimits>()
            .BindConfiguration(SpreadsheetLimits.SectionName)
            .ValidateWith(new ValidateSpreadsheetLimits())
            .ValidateOnStart();
        return builder;
    }
}
