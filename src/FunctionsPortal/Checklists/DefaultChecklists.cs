using System.Text.Json;

namespace FunctionsPortal.Checklists;

/// <summary>
/// The checklists derived from the source documents (Checklists/Defaults/*.json, embedded): the annual survey
/// (full and lite), themed interim checks, pre-contract due diligence and the contract-end certificate. A version once
/// shipped stays byte for byte as it was (surveys in flight keep it); changes go into a new file with the next version.
/// </summary>
public static class DefaultChecklists
{
    private const string Prefix = "Checklists.Defaults.";

    /// <summary>Every default version (files <c>&lt;id&gt;.v&lt;n&gt;.json</c>), parents before the checklists derived from them.</summary>
    public static IReadOnlyList<ChecklistDefinition> All { get; } = Load();

    /// <summary>The newest version of each default, parents first.</summary>
    public static IReadOnlyList<ChecklistDefinition> Latest { get; } =
        All.Where(definition => All.All(other => other.Id != definition.Id || other.Version <= definition.Version)).ToList();

    /// <summary>One default version; throws when there is no such file (a programming error, not input).</summary>
    public static ChecklistDefinition Get(string id, int version) =>
        All.SingleOrDefault(definition => definition.Id == id && definition.Version == version)
        ?? throw new ArgumentException($"There is no default checklist {id} v{version}.", nameof(id));

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
