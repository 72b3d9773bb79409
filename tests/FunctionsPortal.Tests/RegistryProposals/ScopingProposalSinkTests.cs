using FunctionsPortal.Audit;
using FunctionsPortal.Checklists;
using FunctionsPortal.RegistryProposals;
using FunctionsPortal.Submissions;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using FunctionsPortal.Vendors;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Tests.RegistryProposals;

/// <summary>A sealed submission's scoping answers become proposals for the fields that differ from the registry, once each; the vendor sees none of it.</summary>
public sealed class ScopingProposalSinkTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PortalApplication _app = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private IServiceProvider Services => _app.Services;

    public async ValueTask InitializeAsync()
    {
        _app = new PortalApplication(azurite);
        await Services.WhenStorageReadyAsync();
        await ScopingScenario.EnsureChecklistAsync(Services, Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> VendorAsync(Vendor? vendor = null) =>
        (await Services.GetRequiredService<VendorRegistry>().CreateAsync(vendor ?? SampleVendors.Domestic(), "test", Token, "vs" + Guid.NewGuid().ToString("N")[..10])).Id;

    private Task<IReadOnlyList<RegistryProposal>> PendingAsync(string vendorId) => Services.GetRequiredService<ProposalDecisions>().PendingAsync(vendorId, Token);

    [Fact]
    public async Task EachFieldThatDiffersBecomesOnePendingProposalWithTheAnswerAsTyped()
    {
        var vendorId = await VendorAsync();
        var survey = await ScopingScenario.SurveyAsync(Services, vendorId, Token);

        var outcome = await ScopingScenario.AnswerAndSealAsync(Services, survey, new Dictionary<string, ItemAnswer>
        {
            [ScopingItems.Subcontracts] = ScopingScenario.Yes,
            [ScopingItems.Overseas] = ScopingScenario.Yes,
            [ScopingItems.Countries] = ScopingScenario.Text("米国、シンガポール, 某国"),
            [ScopingItems.Cloud] = ScopingScenario.No,
        }, Token);
        var pending = await PendingAsync(vendorId);
        var trail = await Services.GetRequiredService<AuditTrail>().ListAsync(vendorId, 20, null, Token);

        Assert.Equal(SealStatus.Sealed, outcome.Status);
        Assert.Equal([ProposalFields.OverseasCountries, ProposalFields.Subcontracts], pending.Select(proposal => proposal.Field).Order(StringComparer.Ordinal));
        var countries = Assert.Single(pending, proposal => proposal.Field == ProposalFields.OverseasCountries);
        Assert.Equal(["SG", "US"], countries.Proposed);
        Assert.Equal(["某国"], countries.Unrecognised);
        Assert.Equal("米国、シンガポール, 某国", countries.Answer);
        Assert.Empty(countries.Current);
        Assert.Equal((survey.Assignment.Key, 1), (countries.AssignmentKey, countries.SubmissionVersion));
        var subcontracts = Assert.Single(pending, proposal => proposal.Field == ProposalFields.Subcontracts);
        Assert.Equal(["unknown"], subcontracts.Current);
        Assert.Equal(["yes"], subcontracts.Proposed);
        Assert.Equal(2, trail.Records.Count(record => record.Action == AuditActions.RegistryChangeProposed));
    }

    [Fact]
    public async Task TheSameAnswerAgainDoesNotDuplicateAPendingProposalAndAnAgreeingAnswerSupersedesIt()
    {
        var vendorId = await VendorAsync();
        var sink = Services.GetServices<ISealedSubmissionSink>().OfType<ScopingProposalSink>().Single();
        var first = await ScopingScenario.SurveyAsync(Services, vendorId, Token);
        var firstSeal = await ScopingScenario.AnswerAndSealAsync(Services, first, new Dictionary<string, ItemAnswer> { [ScopingItems.Cloud] = ScopingScenario.Yes, [ScopingItems.CloudServices] = ScopingScenario.Text("Box") }, Token);

        // The same seal told twice, and a second survey with the same answer.
        await sink.SealedAsync(firstSeal.Envelope!, null, Token);
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token),
            new Dictionary<string, ItemAnswer> { [ScopingItems.Cloud] = ScopingScenario.Yes, [ScopingItems.CloudServices] = ScopingScenario.Text("box") }, Token);
        var afterSame = await PendingAsync(vendorId);
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token), new Dictionary<string, ItemAnswer> { [ScopingItems.Cloud] = ScopingScenario.No }, Token);
        var all = await Services.GetRequiredService<ProposalDecisions>().ListAsync(vendorId, Token);

        var proposal = Assert.Single(afterSame);
        Assert.Equal(first.Assignment.Key, proposal.AssignmentKey);
        Assert.Equal(["Box"], proposal.Proposed);
        Assert.Empty(await PendingAsync(vendorId));
        Assert.Equal(ProposalStatuses.Superseded, Assert.Single(all).Status);
    }

    [Fact]
    public async Task ANewAnswerReplacesThePendingProposalOfItsField()
    {
        var vendorId = await VendorAsync();
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token),
            new Dictionary<string, ItemAnswer> { [ScopingItems.Overseas] = ScopingScenario.Yes, [ScopingItems.Countries] = ScopingScenario.Text("US") }, Token);
        await ScopingScenario.AnswerAndSealAsync(Services, await ScopingScenario.SurveyAsync(Services, vendorId, Token),
            new Dictionary<string, ItemAnswer> { [ScopingItems.Overseas] = ScopingScenario.Yes, [ScopingItems.Countries] = ScopingScenario.Text("India") }, Token);
        var all = await Services.GetRequiredService<ProposalDecisions>().ListAsync(vendorId, Token);

        Assert.Equal(["IN"], Assert.Single(await PendingAsync(vendorId)).Proposed);
        Assert.Equal(ProposalStatuses.Superseded, Assert.Single(all, proposal => proposal.Proposed.SequenceEqual(["US"])).Status);
    }

    [Fact]
    public async Task AnswersThatAgreeProposeNothingAndTheVendorSeesNothingOfProposals()
    {
        var vendorId = await VendorAsync(SampleVendors.Domestic() with { Subcontracts = false, CloudServices = ["Microsoft 365"] });
        var survey = await ScopingScenario.SurveyAsync(Services, vendorId, Token);
        await ScopingScenario.AnswerAndSealAsync(Services, survey, new Dictionary<string, ItemAnswer>
        {
            [ScopingItems.Subcontracts] = ScopingScenario.No, [ScopingItems.Overseas] = ScopingScenario.No, [ScopingItems.Cloud] = ScopingScenario.Yes,
            [ScopingItems.CloudServices] = ScopingScenario.Text("Microsoft 365"),
        }, Token);
        var differing = await ScopingScenario.SurveyAsync(Services, vendorId, Token);
        await ScopingScenario.AnswerAndSealAsync(Services, differing, new Dictionary<string, ItemAnswer> { [ScopingItems.Subcontracts] = ScopingScenario.Yes }, Token);
        using var browser = VendorFormClient.NewBrowser(_app);
        var landing = await VendorFormClient.PageAsync(browser, differing.Url());
        var receipt = await VendorFormClient.PageAsync(browser, differing.Url("/receipts/1"));

        Assert.Equal([ProposalFields.Subcontracts], (await PendingAsync(vendorId)).Select(proposal => proposal.Field));
        Assert.All([landing, receipt], page =>
        {
            Assert.DoesNotContain("提案", page, StringComparison.Ordinal);
            Assert.DoesNotContain("proposal", page, StringComparison.OrdinalIgnoreCase);
        });
    }
}
