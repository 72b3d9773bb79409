using System.Text.RegularExpressions;

namespace FunctionsPortal.Jobs;

/// <summary>Resolves <c>%AppSetting%</c> references in function.json values, as the Functions host does.</summary>
public static partial class AppSettingReferences
{
    public static string Resolve(string value, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(configuration);
        return Reference().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            // App settings use "__" for nesting; IConfiguration uses ":".
            return configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                   ?? throw new FunctionCatalogException($"The app setting '{name}' referenced as %{name}% is not set.");
        });
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_.:-]+)%")]
    private static partial Regex Reference();
}
