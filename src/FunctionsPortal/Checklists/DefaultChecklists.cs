using System.Text.Json;

namespace FunctionsPortal.Checklists;

/// <summary>
/// The checklists derived from the source documents (Checklists/Defaults/*.json, embedded): the annual survey
/// (full and lite), themed interim checks, pre-contract due diligence and the contract-end certificate.
/// </summary>
public static class DefaultChecklists
{
    private const string Prefix = "Checklists.Defaults.";

    /// <summary>Every default, parents before the checklists derived from them.</summary>
    public static IReadOnlyList<ChecklistDefinition> All { get; } = Load();

    private static List<ChecklistDefinition> Load()
    {
        var assembly = typeof(DefaultChecklists).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                return JsonSerializer.Deserialize<ChecklistDefinition>(stream, ChecklistLibrary.Json)
                       ?? throw new InvalidOperationException($"Default checklist {name} is empty.");
            })
            .OrderBy(definition => definition.DerivedFrom is not null)
            .ToList();
    }
}
