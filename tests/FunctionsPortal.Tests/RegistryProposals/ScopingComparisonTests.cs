using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;

namespace FunctionsPortal.Tests.RegistryProposals;

/// <summary>Scoping answers against the registry record, field by field; and what confirming a proposal does to the record.</summary>
public sealed class ScopingComparisonTests
{
    private static SealedAnswer Choice(string id) => new(null, [id], null, null, null, null, null, null);

    private static SealedAnswer Text(string text) => new(null, null, text, null, null, null, null, null);

    private static Dictionary<string, SealedAnswer> Answers(params (string Item, SealedAnswer Answer)[] answers) =>
        answers.ToDictionary(pair => pair.Item, pair => pair.Answer, StringComparer.Ordinal);

    private static FieldComparison Field(IReadOnlyList<FieldComparison> compared, string field) => Assert.Single(compared, comparison => comparison.Field == field);

    [Fact]
    public void AnswersThatAgreeWithTheRegistryDifferInNothing()
    {
        var vendor = SampleVendors.Domestic() with { CloudServices = ["AWS, S3, ap-northeast-1"] };
        var compared = ScopingComparison.Compare(Answers(
            (ScopingItems.Subcontracts, Choice("yes")), (ScopingItems.Overseas, Choice("no")), (ScopingItems.Cloud, Choice("yes")), (ScopingItems.CloudServices, Text("aws, s3, ap-northeast-1"))),
            vendor, hasSubcontractors: true);

        Assert.Equal(3, compared.Count);
        Assert.All(compared, comparison => Assert.False(comparison.Differs));
    }

    [Fact]
    public void AnItemNotAnsweredIsNotCompared()
    {
        var compared = ScopingComparison.Compare(Answers((ScopingItems.Cloud, Choice("no"))), SampleVendors.Domestic(), hasSubcontractors: false);

        Assert.Equal([ProposalFields.CloudServices], compared.Select(comparison => comparison.Field));
    }

    [Fact]
    public void SubcontractingUnknownOrStatedOtherwiseIsProposedAndANoWithSubcontractorsRegisteredCarriesANote()
    {
        var unknown = Field(ScopingComparison.Compare(Answers((ScopingItems.Subcontracts, Choice("yes"))), SampleVendors.Domestic(), false), ProposalFields.Subcontracts);
        var contradicted = Field(ScopingComparison.Compare(Answers((ScopingItems.Subcontracts, Choice("no"))), SampleVendors.Domestic(), true), ProposalFields.Subcontracts);

        Assert.True(unknown.Differs);
        Assert.Equal(["unknown"], unknown.Current);
        Assert.Equal(["yes"], unknown.Proposed);
        Assert.Null(unknown.Note);
        Assert.True(contradicted.Differs);
        Assert.Equal(["yes"], contradicted.Current);
        Assert.Equal(["no"], contradicted.Proposed);
        Assert.NotNull(contradicted.Note);
    }

    [Fact]
    public void CountriesAbroadAreComparedAsASetWithTheTextKept()
    {
        var vendor = SampleVendors.Domestic() with { Countries = new("JP", ["JP", "US"], ["JP"]) };
        var more = Field(ScopingComparison.Compare(Answers((ScopingItems.Overseas, Choice("yes")), (ScopingItems.Countries, Text("米国, シンガポール"))), vendor, false), ProposalFields.OverseasCountries);
        var same = Field(ScopingComparison.Compare(Answers((ScopingItems.Overseas, Choice("yes")), (ScopingItems.Countries, Text("日本、US"))), vendor, false), ProposalFields.OverseasCountries);
        var none = Field(ScopingComparison.Compare(Answers((ScopingItems.Overseas, Choice("no"))), vendor, false), ProposalFields.OverseasCountries);
        var unread = Field(ScopingComparison.Compare(Answers((ScopingItems.Overseas, Choice("yes")), (ScopingItems.Countries, Text("海外拠点"))), SampleVendors.Domestic(), false), ProposalFields.OverseasCountries);

        Assert.True(more.Differs);
        Assert.Equal(["US"], more.Current);
        Assert.Equal(["SG", "US"], more.Proposed);
        Assert.Equal("米国, シンガポール", more.Answer);
        Assert.False(same.Differs);
        Assert.True(none.Differs);
        Assert.Empty(none.Proposed);
        Assert.True(unread.Differs);
        Assert.Equal(["海外拠点"], unread.Unrecognised);
    }

    [Fact]
    public void CloudServicesAreOneALineAndAYesNamingNoneProposesNothing()
    {
        var vendor = SampleVendors.Domestic() with { CloudServices = ["Box"] };
        var listed = Field(ScopingComparison.Compare(Answers((ScopingItems.Cloud, Choice("yes")), (ScopingItems.CloudServices, Text("AWS, S3, 東京リージョン\nMicrosoft 365; Box"))), vendor, false), ProposalFields.CloudServices);
        var namedNone = Field(ScopingComparison.Compare(Answers((ScopingItems.Cloud, Choice("yes"))), SampleVendors.Domestic(), false), ProposalFields.CloudServices);
        var stopped = Field(ScopingComparison.Compare(Answers((ScopingItems.Cloud, Choice("no"))), vendor, false), ProposalFields.CloudServices);

        Assert.True(listed.Differs);
        Assert.Equal(["AWS, S3, 東京リージョン", "Microsoft 365", "Box"], listed.Proposed);
        Assert.False(namedNone.Differs);
        Assert.True(stopped.Differs);
        Assert.Empty(stopped.Proposed);
    }

    [Fact]
    public void ConfirmingCountriesPutsThemWhereStaffSaidAndRemovesThoseNoLongerNamed()
    {
        var vendor = SampleVendors.Domestic() with { Countries = new("JP", ["JP", "US"], ["CN"]) };
        static RegistryProposal Proposal(IReadOnlyList<string> proposed, IReadOnlyList<string>? unrecognised = null) => new()
        {
            Id = "p", VendorId = "v", Field = ProposalFields.OverseasCountries, AssignmentKey = "k", SubmissionVersion = 1,
            Current = ["CN", "US"], Proposed = proposed, Unrecognised = unrecognised ?? [], ProposedAt = DateTimeOffset.UnixEpoch,
        };

        var toStorage = ProposalDecisions.Apply(Proposal(["SG", "US"]), vendor, CountryTargets.Storage).Countries;
        var toBoth = ProposalDecisions.Apply(Proposal(["SG"]), vendor, CountryTargets.Both).Countries;
        var domestic = ProposalDecisions.Apply(Proposal([]), vendor, CountryTargets.Both).Countries;
        var partlyUnread = ProposalDecisions.Apply(Proposal(["SG"], ["某国"]), vendor, CountryTargets.Access).Countries;

        Assert.Equal(["JP", "US", "SG"], toStorage.Storage);
        Assert.Equal(["JP"], toStorage.Access);
        Assert.Equal(["JP", "SG"], toBoth.Storage);
        Assert.Equal(["SG"], toBoth.Access);
        Assert.Equal(["JP"], domestic.Storage);
        Assert.Equal(["JP"], domestic.Access);
        Assert.Equal(["JP", "US"], partlyUnread.Storage);
        Assert.Equal(["CN", "SG"], partlyUnread.Access);
        Assert.False(Proposal([], ["某国"]).Applicable);
    }
}
