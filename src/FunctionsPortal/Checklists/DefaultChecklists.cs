using System.Collections.Frozen;
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

    // Lazy, so reading a kind (settings validated at start-up) does not deserialize every checklist (cold start, issue 16).
    private static readonly Lazy<IReadOnlyList<ChecklistDefinition>> Definitions = new(Load);
    private static readonly Lazy<IReadOnlyList<ChecklistDefinition>> Newest = new(() =>
        All.Where(definition => All.All(other => other.Id != definition.Id || other.Version <= definition.Version)).ToList());
    private static readonly Lazy<FrozenDictionary<string, string>> KindsById = new(LoadKinds);

    /// <summary>Every default version (files <c>&lt;id&gt;.v&lt;n&gt;.json</c>), parents before the checklists derived from them.</summary>
    public static IReadOnlyList<ChecklistDefinition> All => Definitions.Value;

    /// <summary>The newest version of each default, parents first.</summary>
    public static IReadOnlyList<ChecklistDefinition> Latest => Newest.Value;

    /// <summary>The kind of the default checklist <paramref name="id"/> (any version), or null when there is none.</summary>
    public static string? KindOf(string id) => KindsById.Value.GetValueOrDefault(id);

    /// <summary>One default version; throws when there is no such file (a programming error, not input).</summary>
    public static ChecklistDefinition Get(string id, int version) =>
        All.SingleOrDefault(definition => definition.Id == id && definition.Version == version)
        ?? throw new ArgumentException($"There is no default checklist {id} v{version}.", nameof(id));

    private static List<ChecklistDefinition> Load() =>
        ResourceNames().Select(name =>
            {
                using var stream = typeof(DefaultChecklists).Assembly.GetManifestResourceStream(name)!;
                return JsonSerializer.Deserialize<ChecklistDefinition>(stream, ChecklistLibrary.Json)
                       ?? throw new InvalidOperationException($"Default checklist {name} is empty.");
            })
            .OrderBy(definition => definition.DerivedFrom is not null)
            .ToList();

    /// <summary>Only each file's top-level <c>id</c> and <c>kind</c>, read without binding the whole definition.</summary>
    private static FrozenDictionary<string, string> LoadKinds() =>
        ResourceNames().Select(name =>
            {
                using var stream = typeof(DefaultChecklists).Assembly.GetManifestResourceStream(name)!;
                using var document = JsonDocument.Parse(stream);
                return (Id: document.RootElement.GetProperty("id").GetString()!, Kind: document.RootElement.GetProperty("kind").GetString()!);
            })
            .DistinctBy(entry => entry.Id)
            .ToFrozenDictionary(entry => entry.Id, entry => entry.Kind, StringComparer.Ordinal);

    private static IEnumerable<string> ResourceNames() =>
        typeof(DefaultChecklists).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
