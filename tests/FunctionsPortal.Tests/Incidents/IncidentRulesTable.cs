using FunctionsPortal.Incidents;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace FunctionsPortal.Tests.Incidents;

/// <summary>The rules table as the app ships it (src/FunctionsPortal/appsettings.json), bound the way the app binds it.</summary>
internal static class IncidentRulesTable
{
    public static IncidentRules Shipped { get; } = Load();

    private static IncidentRules Load() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal", "appsettings.json")).Build()
            .GetSection(IncidentRules.SectionName).Get<IncidentRules>()!;
}
