using FunctionsPortal.Checklists;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>The defaults derived from the source documents are complete, valid and faithful to the format.</summary>
public sealed class DefaultChecklistsTests
{
    /// <summary>Every version, by (id, version): a derived one resolved against the parent version it names.</summary>
    private static readonly Dictionary<(string Id, int Version), ResolvedChecklist> AllVersions = ResolveAll();

    /// <summary>The newest version of each default: what new surveys use.</summary>
    private static readonly Dictionary<string, ResolvedChecklist> Resolved =
        DefaultChecklists.Latest.ToDictionary(definition => definition.Id, definition => AllVersions[(definition.Id, definition.Version)], StringComparer.Ordinal);

    private static Dictionary<(string Id, int Version), ResolvedChecklist> ResolveAll()
    {
        var resolved = new Dictionary<(string Id, int Version), ResolvedChecklist>();
        foreach (var definition in DefaultChecklists.All)
        {
            var parent = definition.DerivedFrom is { } derived ? resolved[(derived.Id, derived.Version)] : null;
            resolved[(definition.Id, definition.Version)] = ResolvedChecklist.Resolve(definition, parent);
        }

        return resolved;
    }

    public static TheoryData<string, int> Versions() => [.. DefaultChecklists.All.Select(definition => (definition.Id, definition.Version))];

    [Theory]
    [MemberData(nameof(Versions))]
    public void EveryDefaultVersionIsValid(string id, int version)
    {
        var definition = DefaultChecklists.Get(id, version);
        var parent = definition.DerivedFrom is { } derived ? AllVersions[(derived.Id, derived.Version)] : null;

        Assert.Empty(ChecklistValidator.Validate(definition, parent));
    }

    [Fact]
    public void TheDefaultsCoverTheLifecycleOfAVendor()
    {
        Assert.Equal(["annual-full", "annual-lite", "due-diligence", "interim-physical", "interim-technical", "termination-certificate"], Resolved.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["annual", "due-diligence", "interim", "termination"], DefaultChecklists.All.Select(definition => definition.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAnnualSurveyCoversEveryAreaTheSeedsListWithFiftyToNinetyQuestionsAfterTheScope()
    {
        var full = Resolved["annual-full"];

        Assert.InRange(full.Items.Count(pair => pair.Section.Id != "scoping"), 50, 90);
        Assert.Equal(
            ["access", "certification", "devprod", "governance", "handling", "incidents", "overseas", "physical", "return-deletion", "scoping", "subcontracting", "technical", "training"],
            full.Sections.Select(section => section.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryItemCitesOneOfTheFiveSourceDocuments()
    {
        // The product's source documents are seeds 000-004 (Japanese; kept outside this repository).
        var seeds = new HashSet<string> { "000", "001", "002", "003", "004" };

        Assert.All(Resolved.Values.SelectMany(checklist => checklist.Items), pair =>
        {
            Assert.NotEmpty(pair.Item.Source.Seeds);
            Assert.Subset(seeds, pair.Item.Source.Seeds.ToHashSet());
        });
        Assert.Equal(seeds, Resolved["annual-full"].Items.SelectMany(pair => pair.Item.Source.Seeds).ToHashSet());
    }

    [Fact]
    public void TheLiteSurveyKeepsEveryMustPassItemOfTheFullOne()
    {
        var critical = Resolved["annual-full"].Items.Where(pair => pair.Item.Critical).Select(pair => pair.Item.Id).ToHashSet();
        var lite = Resolved["annual-lite"].Items.Select(pair => pair.Item.Id).ToHashSet();

        Assert.NotEmpty(critical);
        Assert.Subset(lite, critical);
        Assert.True(lite.Count < Resolved["annual-full"].Items.Count());
    }

    [Fact]
    public void OverseasAndSubcontractingQuestionsAreAskedOnlyWhereTheyApply()
    {
        var full = Resolved["annual-full"];

        // The registry flag, or the vendor's own scoping answer this cycle (SCP-01, SCP-02).
        static bool FlagOrScope(Condition condition, string flag, string scope) =>
            condition.AnyOf is { } alternatives
            && alternatives.Any(alternative => alternative.VendorFlag == flag)
            && alternatives.Any(alternative => alternative.Answer is { } answer && answer.Item == scope && answer.AnyOf.SequenceEqual(["yes"]));

        Assert.All(full.Sections.Single(section => section.Id == "overseas").Items,
            item => Assert.Contains(item.Applicability!, condition => FlagOrScope(condition, VendorProfile.Overseas, "SCP-02")));
        Assert.All(full.Sections.Single(section => section.Id == "subcontracting").Items,
            item => Assert.Contains(item.Applicability ?? [], condition => FlagOrScope(condition, VendorProfile.Subcontracts, "SCP-01")));
    }
}
