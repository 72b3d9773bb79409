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

    /// <summary>
    /// Only each file's top-level <c>id</c> and <c>kind</c>, read without binding the whole definition: the reader stops
    /// once it has both, which the files put first, instead of parsing 400 KB of checklists on every start.
    /// </summary>
    private static FrozenDictionary<string, string> LoadKinds() =>
        ResourceNames().Select(name =>
            {
                using var stream = typeof(DefaultChecklists).Assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                return IdAndKind(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name);
            })
            .DistinctBy(entry => entry.Id)
            .ToFrozenDictionary(entry => entry.Id, entry => entry.Kind, StringComparer.Ordinal);

    private static (string Id, string Kind) IdAndKind(ReadOnlySpan<byte> json, string name)
    {
        var reader = new Utf8JsonReader(json);
        string? id = null, kind = null;
        reader.Read();
        while ((id is null || kind is null) && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isKind = reader.ValueTextEquals("kind"u8);
            reader.Read();
            if (isId)
            {
                id = reader.GetString();
            }
            else if (isKind)
            {
                kind = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return (id ?? throw new InvalidOperationException($"Default checklist {name} has no id."),
                kind ?? throw new InvalidOperationException($"Default checklist {name} has no kind."));
    }

    private static IEnumerable<string> ResourceNames() =>
        typeof(DefaultChecklists).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
