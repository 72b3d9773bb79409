using FunctionsPortal.Checklists;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>The defaults derived from the source documents are complete, valid and faithful to the format.</summary>
public sealed class DefaultChecklistsTests
{
    private static readonly Dictionary<string, ResolvedChecklist> Resolved = ResolveAll();

    private static Dictionary<string, ResolvedChecklist> ResolveAll()
    {
        var resolved = new Dictionary<string, ResolvedChecklist>(StringComparer.Ordinal);
        foreach (var definition in DefaultChecklists.All)
        {
            var parent = definition.DerivedFrom is { } derived ? resolved[derived.Id] : null;
            resolved[definition.Id] = ResolvedChecklist.Resolve(definition, parent);
        }

        return resolved;
    }

    public static TheoryData<string> Ids() => [.. DefaultChecklists.All.Select(definition => definition.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryDefaultIsValid(string id)
    {
        var definition = DefaultChecklists.All.Single(candidate => candidate.Id == id);
        var parent = definition.DerivedFrom is { } derived ? Resolved[derived.Id] : null;

        Assert.Empty(ChecklistValidator.Validate(definition, parent));
    }

    [Fact]
    public void TheDefaultsCoverTheLifecycleOfAVendor()
    {
        Assert.Equal(["annual-full", "annual-lite", "due-diligence", "interim-physical", "interim-technical", "termination-certificate"], Resolved.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["annual", "due-diligence", "interim", "termination"], DefaultChecklists.All.Select(definition => definition.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheAnnualSurveyCoversEveryAreaTheSeedsListWithFiftyToEightyItems()
    {
        var full = Resolved["annual-full"];

        Assert.InRange(full.Items.Count(), 50, 80);
        Assert.Equal(
            ["access", "certification", "devprod", "governance", "handling", "incidents", "overseas", "physical", "return-deletion", "subcontracting", "technical", "training"],
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

        Assert.All(full.Sections.Single(section => section.Id == "overseas").Items.Where(item => item.Applicability is not { Count: > 0 } || item.Applicability.All(condition => condition.Answer is null)),
            item => Assert.Contains(item.Applicability!, condition => condition.VendorFlag == VendorProfile.Overseas));
        Assert.All(full.Sections.Single(section => section.Id == "subcontracting").Items,
            item => Assert.Contains(item.Applicability ?? [], condition => condition.VendorFlag == VendorProfile.Subcontracts));
    }
}
