using FunctionsPortal.Checklists;

namespace FunctionsPortal.Tests.Checklists;

/// <summary>
/// The scoping questions (SCP-01..05) come first in the annual and due-diligence surveys, and their answers open the
/// subcontracting and overseas questions whatever the registry says (applicability <c>anyOf</c>).
/// </summary>
public sealed class ScopingSectionTests
{
    private static readonly VendorProfile Unflagged = new(new HashSet<string>(), new HashSet<string> { "personal" }, "bpo", 100);

    private static ResolvedChecklist Latest(string id)
    {
        var definition = DefaultChecklists.Latest.Single(candidate => candidate.Id == id);
        var parent = definition.DerivedFrom is { } derived ? ResolvedChecklist.Resolve(DefaultChecklists.Get(derived.Id, derived.Version), null) : null;
        return ResolvedChecklist.Resolve(definition, parent);
    }

    [Theory]
    [InlineData("annual-full")]
    [InlineData("annual-lite")]
    [InlineData("due-diligence")]
    public void TheScopeSectionComesFirstWithTheFiveAgreedItemsAndScoresNothing(string id)
    {
        var scoping = Latest(id).Sections[0];

        Assert.Equal("scoping", scoping.Id);
        Assert.Equal(["SCP-01", "SCP-02", "SCP-03", "SCP-04", "SCP-05"], scoping.Items.Select(item => item.Id));
        Assert.Equal(
            [AnswerTypes.SingleChoice, AnswerTypes.SingleChoice, AnswerTypes.Text, AnswerTypes.SingleChoice, AnswerTypes.Text],
            scoping.Items.Select(item => item.AnswerType));
        Assert.All(scoping.Items.Where(item => item.AnswerType == AnswerTypes.SingleChoice),
            item => Assert.Equal(["yes", "no"], item.Choices!.Select(choice => choice.Id)));
        Assert.All(scoping.Items, item => Assert.False(item.IsScored));
        Assert.Equal("SCP-02", Assert.Single(scoping.Items[2].Applicability!).Answer!.Item);
        Assert.Equal("SCP-04", Assert.Single(scoping.Items[4].Applicability!).Answer!.Item);
    }

    [Theory]
    [InlineData("SUB-01", "SCP-01", VendorProfile.Subcontracts)]
    [InlineData("SUB-04", "SCP-01", VendorProfile.Subcontracts)]
    [InlineData("RET-03", "SCP-01", VendorProfile.Subcontracts)]
    [InlineData("OVS-01", "SCP-02", VendorProfile.Overseas)]
    [InlineData("OVS-04", "SCP-02", VendorProfile.Overseas)]
    public void AQuestionAppliesOnTheRegistryFlagOrOnAYesToTheScopeQuestion(string itemId, string scope, string flag)
    {
        var item = Latest("annual-full").FindItem(itemId)!;
        var flagged = Unflagged with { Flags = new HashSet<string> { flag, VendorProfile.OverseasAccess } };
        var no = new Dictionary<string, ItemAnswer> { [scope] = new() { Choices = ["no"] } };
        var yes = new Dictionary<string, ItemAnswer> { [scope] = new() { Choices = ["yes"] } };

        Assert.False(Applicability.Applies(item, Unflagged, new Dictionary<string, ItemAnswer>()));
        Assert.False(Applicability.Applies(item, Unflagged, no));
        Assert.True(Applicability.Applies(item, Unflagged, yes));
        Assert.True(Applicability.Applies(item, flagged, no));
    }

    [Fact]
    public void AnAnyOfConditionIsCheckedLikeEveryOtherCondition()
    {
        var full = DefaultChecklists.Get("annual-full", 2);
        var sections = full.Sections!.ToList();
        var governance = sections.Single(section => section.Id == "governance");
        var first = governance.Items[0];
        Condition[] broken =
        [
            new() { AnyOf = [new() { VendorFlag = VendorProfile.Subcontracts }] },
            new() { AnyOf = [new() { VendorFlag = "noSuchFlag" }, new() { Answer = new("SUB-05", ["yes"]) }] },
            new() { AnyOf = [new() { VendorFlag = VendorProfile.Overseas }, new() { Answer = new("SCP-01", ["maybe"]) }] },
        ];
        sections[sections.IndexOf(governance)] = governance with { Items = [first with { Applicability = broken }, .. governance.Items.Skip(1)] };

        var errors = ChecklistValidator.Validate(full with { Sections = sections });
        var messages = errors.Where(pair => pair.Key.StartsWith("sections[1].items[0].applicability", StringComparison.Ordinal)).SelectMany(pair => pair.Value).ToList();

        Assert.Contains(messages, message => message.Contains("at least two", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.Contains("noSuchFlag", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.Contains("'SUB-05'", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.Contains("'maybe'", StringComparison.Ordinal));
    }
}
