using System.Text.RegularExpressions;

namespace FunctionsPortal.Tests.Architecture;

/// <summary>
/// Which capability folder of the app uses which, read from the source: <c>using FunctionsPortal.X</c> (also
/// <c>@using</c> in Razor), fully qualified <c>FunctionsPortal.X.</c> names, and partly qualified <c>X.Type</c>
/// names where <c>Type</c> is declared in folder X. Comments and string literals are ignored, so prose such as
/// "Mail.Send" is no dependency.
/// </summary>
internal sealed partial class CapabilityGraph
{
    private CapabilityGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> edges) => Edges = edges;

    /// <summary>Folder → the folders it uses, with the first file that shows it (for the failure message).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    public Dictionary<(string From, string To), string> Evidence { get; } = [];

    public static CapabilityGraph Read(string appRoot)
    {
        var folders = Directory.GetDirectories(appRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "Properties" or "Functions") && Sources(Path.Combine(appRoot, name)).Any())
            .ToList();
        var code = folders.ToDictionary(folder => folder, folder => Sources(Path.Combine(appRoot, folder)).Select(file => (file, Text: Strip(File.ReadAllText(file)))).ToList());
        var declared = code.ToDictionary(pair => pair.Key, pair => pair.Value.SelectMany(source => Declaration().Matches(source.Text).Select(match => match.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal));
        var edges = folders.ToDictionary(folder => folder, _ => new HashSet<string>(StringComparer.Ordinal));
        var graph = new CapabilityGraph(edges.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>)pair.Value));
        foreach (var (folder, sources) in code)
        {
            foreach (var (file, text) in sources)
            {
                foreach (var other in folders.Where(other => other != folder))
                {
                    var uses = Regex.IsMatch(text, $@"\bFunctionsPortal\.{other}\b")
                        || Regex.Matches(text, $@"(?<![\w.]){other}\.(?<type>[A-Z]\w*)").Any(match => declared[other].Contains(match.Groups["type"].Value));
                    if (uses && edges[folder].Add(other))
                    {
                        graph.Evidence[(folder, other)] = Path.GetRelativePath(appRoot, file);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>Every cycle's folders, in order (none when the folders form a layered graph).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var cycles = new List<IReadOnlyList<string>>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: finished
        var path = new List<string>();

        void Visit(string node)
        {
            state[node] = false;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (!state.TryGetValue(next, out var finished))
                {
                    Visit(next);
                }
                else if (!finished)
                {
                    cycles.Add([.. path.Skip(path.IndexOf(next)), next]);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = true;
        }

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!state.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    private static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories).Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal));

    /// <summary>The code without comments and string literals (raw, verbatim, interpolated or plain).</summary>
    private static string Strip(string source) => Literal().Replace(source, " ");

    [GeneratedRegex("\"\"\"[\\s\\S]*?\"\"\"|@\\*[\\s\\S]*?\\*@|/\\*[\\s\\S]*?\\*/|//[^\\n]*|@\\$?\"(?:[^\"]|\"\")*\"|\\$?@?\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();
}
