using FunctionsPortal.Tests.Fixtures;

namespace FunctionsPortal.Tests.Architecture;

/// <summary>The capability folders form layers: a folder never depends, directly or through others, on itself.</summary>
public sealed class CapabilityFoldersTests
{
    private static readonly string AppRoot = Path.Combine(RepositoryRoot.Path, "src", "FunctionsPortal");

    [Fact]
    public void NoCapabilityFolderDependsOnItselfThroughOthers()
    {
        var graph = CapabilityGraph.Read(AppRoot);
        var cycles = CapabilityGraph.Cycles(graph.Edges);
        Assert.True(cycles.Count == 0, "Folder dependency cycles:\n" + string.Join("\n", cycles.Select(cycle =>
            string.Join(" → ", cycle) + "   (" + string.Join(", ", cycle.Zip(cycle.Skip(1)).Select(edge => $"{edge.First}→{edge.Second} in {graph.Evidence[(edge.First, edge.Second)]}")) + ")")));
    }

    [Fact]
    public void TheGraphSeesTheDependenciesItMustSee()
    {
        // A control: if the reader stopped seeing edges, "no cycles" would pass for the wrong reason.
        var edges = CapabilityGraph.Read(AppRoot).Edges;
        Assert.Contains("Responses", edges["VendorPages"]);   // using FunctionsPortal.Responses
        Assert.Contains("Submissions", edges["VendorPages"]); // @using in _Imports.razor
        Assert.Contains("Storage", edges["Surveys"]);
        Assert.DoesNotContain("VendorPages", edges["Responses"]);
    }

    [Fact]
    public void ACycleIsFoundWhereverItCloses()
    {
        var edges = new Dictionary<string, IReadOnlySet<string>>
        {
            ["A"] = new HashSet<string> { "B" },
            ["B"] = new HashSet<string> { "C" },
            ["C"] = new HashSet<string> { "A", "D" },
            ["D"] = new HashSet<string>(),
        };
        var cycle = Assert.Single(CapabilityGraph.Cycles(edges));
        Assert.Equal(["A", "B", "C", "A"], cycle);
        Assert.Empty(CapabilityGraph.Cycles(new Dictionary<string, IReadOnlySet<string>> { ["A"] = new HashSet<string> { "B" }, ["B"] = new HashSet<string>() }));
    }
}
